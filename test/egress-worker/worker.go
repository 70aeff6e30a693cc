package main

import (
	"context"
	"sync"
	"time"

	"github.com/livekit/protocol/livekit"
	"github.com/livekit/protocol/rpc"
	"github.com/livekit/psrpc"
	"google.golang.org/protobuf/proto"
)

type config struct {
	id          string
	startDelay  time.Duration
	activeDelay time.Duration
	endDelay    time.Duration
	failStart   bool
	failAfter   time.Duration
	affinity    float64
	capacity    int
}

// egress is one pretend recording. Its info is the single source of truth: every change goes
// through update(), which also reports it to the server.
type egress struct {
	// report serialises change+UpdateEgress per egress, so the server sees statuses in order
	// even when a stop races the ACTIVE transition.
	report   sync.Mutex
	info     *livekit.EgressInfo
	plan     *plan
	activeAt time.Time
}

type worker struct {
	cfg      config
	log      *logger
	io       rpc.IOInfoClient
	handlers rpc.EgressHandlerServer

	mu       sync.Mutex
	egresses map[string]*egress
	draining bool
	wg       sync.WaitGroup
}

func terminal(s livekit.EgressStatus) bool {
	return s != livekit.EgressStatus_EGRESS_STARTING && s != livekit.EgressStatus_EGRESS_ACTIVE &&
		s != livekit.EgressStatus_EGRESS_ENDING
}

// StartEgressAffinity: the server asks with MaximumAffinity 1, so a claim of 1 wins at once; a
// lower value loses to any worker claiming 1 (tests use that to steer an egress), < 0 declines.
func (w *worker) StartEgressAffinity(_ context.Context, _ *rpc.StartEgressRequest) float32 {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.draining || (w.cfg.capacity > 0 && w.activeLocked() >= w.cfg.capacity) {
		return -1
	}
	return float32(w.cfg.affinity)
}

func (w *worker) activeLocked() int {
	n := 0
	for _, e := range w.egresses {
		if !terminal(e.info.Status) {
			n++
		}
	}
	return n
}

func (w *worker) StartEgress(_ context.Context, req *rpc.StartEgressRequest) (*livekit.EgressInfo, error) {
	w.log.event("start_request", map[string]any{"egressId": req.GetEgressId(), "room": req.GetRoomName()})
	if w.cfg.failStart {
		return nil, psrpc.NewErrorf(psrpc.Internal, "stand-in worker told to fail (--fail-start)")
	}
	w.mu.Lock()
	if e, ok := w.egresses[req.GetEgressId()]; ok {
		// The server's psrpc client retries with the same egress id; answer with what exists.
		out := proto.Clone(e.info).(*livekit.EgressInfo)
		w.mu.Unlock()
		return out, nil
	}
	w.mu.Unlock()

	p, err := describe(req)
	if err != nil {
		return nil, psrpc.NewError(psrpc.InvalidArgument, err)
	}
	now := time.Now()
	info := &livekit.EgressInfo{
		EgressId:   req.GetEgressId(),
		RoomId:     req.GetRoomId(),
		RoomName:   p.roomName,
		SourceType: p.sourceType,
		Status:     livekit.EgressStatus_EGRESS_STARTING,
		UpdatedAt:  now.UnixNano(),
	}
	p.setRequest(info)
	e := &egress{info: info, plan: p}

	// StopEgress must be routable before the reply, or a stop right after the start is lost.
	if err := w.registerHandlers(info.EgressId); err != nil {
		return nil, psrpc.NewError(psrpc.Internal, err)
	}
	w.mu.Lock()
	w.egresses[info.EgressId] = e
	w.mu.Unlock()

	// CreateEgress before the reply and before any update: it stores the egress, indexes it by
	// room and fires egress_started; an UpdateEgress landing first would suppress both.
	cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	_, err = w.io.CreateEgress(cctx, proto.Clone(info).(*livekit.EgressInfo))
	cancel()
	if err != nil {
		w.forget(info.EgressId)
		w.log.event("create_failed", map[string]any{"egressId": info.EgressId, "error": err.Error()})
		return nil, err
	}
	w.log.event("status", map[string]any{"egressId": info.EgressId, "status": info.Status.String(), "room": p.roomName})

	w.wg.Add(1)
	go w.run(e)

	if w.cfg.startDelay > 0 {
		// The egress exists on the server already; only the answer is late (the lost-answer case).
		time.Sleep(w.cfg.startDelay)
	}
	w.mu.Lock()
	out := proto.Clone(e.info).(*livekit.EgressInfo)
	w.mu.Unlock()
	// The reply is the STARTING snapshot even when ACTIVE came first, as the real worker's is.
	out.Status = livekit.EgressStatus_EGRESS_STARTING
	return out, nil
}

// run drives one egress: STARTING -> ACTIVE after activeDelay, then FAILED after failAfter if asked.
func (w *worker) run(e *egress) {
	defer w.wg.Done()
	time.Sleep(w.cfg.activeDelay)
	if !w.transition(e, func(i *livekit.EgressInfo, now time.Time) bool {
		if i.Status != livekit.EgressStatus_EGRESS_STARTING {
			return false
		}
		i.Status = livekit.EgressStatus_EGRESS_ACTIVE
		i.StartedAt = now.UnixNano()
		e.activeAt = now
		i.StreamResults = streamResults(e.plan, now)
		return true
	}) {
		return
	}
	if w.cfg.failAfter <= 0 {
		return
	}
	time.Sleep(w.cfg.failAfter)
	w.transition(e, func(i *livekit.EgressInfo, now time.Time) bool {
		if i.Status != livekit.EgressStatus_EGRESS_ACTIVE {
			return false
		}
		i.Status = livekit.EgressStatus_EGRESS_FAILED
		i.Error = "stand-in worker told to fail (--fail-after)"
		i.ErrorCode = 500
		i.EndedAt = now.UnixNano()
		return true
	})
}

// transition applies change under the lock and, when it changed something, reports the new
// info to the server (outside the lock) and releases the egress' topics once it has ended.
func (w *worker) transition(e *egress, change func(*livekit.EgressInfo, time.Time) bool) bool {
	e.report.Lock()
	defer e.report.Unlock()
	w.mu.Lock()
	now := time.Now()
	if !change(e.info, now) {
		w.mu.Unlock()
		return false
	}
	e.info.UpdatedAt = now.UnixNano()
	snapshot := proto.Clone(e.info).(*livekit.EgressInfo)
	w.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	_, err := w.io.UpdateEgress(ctx, snapshot)
	cancel()
	fields := map[string]any{"egressId": snapshot.EgressId, "status": snapshot.Status.String(), "room": snapshot.RoomName}
	if err != nil {
		fields["updateError"] = err.Error()
	}
	w.log.event("status", fields)
	if terminal(snapshot.Status) {
		w.deregisterHandlers(snapshot.EgressId)
	}
	return true
}

func (w *worker) StopEgress(_ context.Context, req *livekit.StopEgressRequest) (*livekit.EgressInfo, error) {
	e := w.find(req.GetEgressId())
	if e == nil {
		return nil, psrpc.NewErrorf(psrpc.NotFound, "egress %s not found on this worker", req.GetEgressId())
	}
	w.log.event("stop_request", map[string]any{"egressId": req.GetEgressId()})
	var reply *livekit.EgressInfo
	changed := w.transition(e, func(i *livekit.EgressInfo, now time.Time) bool {
		switch i.Status {
		case livekit.EgressStatus_EGRESS_STARTING:
			i.Status = livekit.EgressStatus_EGRESS_ABORTED
			i.Details = "End reason: StopEgress API"
			i.Error = "Stop called before pipeline could start"
			i.EndedAt = now.UnixNano()
		case livekit.EgressStatus_EGRESS_ACTIVE:
			i.Status = livekit.EgressStatus_EGRESS_ENDING
			i.Details = "End reason: StopEgress API"
		default:
			return false
		}
		reply = proto.Clone(i).(*livekit.EgressInfo)
		return true
	})
	if !changed {
		w.mu.Lock()
		status := e.info.Status
		w.mu.Unlock()
		return nil, psrpc.NewErrorf(psrpc.FailedPrecondition, "egress with status %s cannot be stopped", status)
	}
	if reply.Status == livekit.EgressStatus_EGRESS_ENDING {
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			time.Sleep(w.cfg.endDelay)
			w.complete(e)
		}()
	}
	return reply, nil
}

// complete ends an egress the way a finished pipeline does: COMPLETE with its results.
func (w *worker) complete(e *egress) {
	w.transition(e, func(i *livekit.EgressInfo, now time.Time) bool {
		if terminal(i.Status) {
			return false
		}
		start := e.activeAt
		if start.IsZero() {
			start = now
		}
		i.Status = livekit.EgressStatus_EGRESS_COMPLETE
		i.EndedAt = now.UnixNano()
		i.FileResults = fileResults(e.plan, i.RoomId, start, now)
		i.SegmentResults = segmentResults(e.plan, i.RoomId, start, now)
		i.ImageResults = imageResults(e.plan, start, now)
		finishStreams(i.StreamResults, now)
		i.Result = nil
		if len(i.FileResults) == 1 {
			i.Result = &livekit.EgressInfo_File{File: i.FileResults[0]}
		}
		return true
	})
}

func (w *worker) UpdateStream(_ context.Context, req *livekit.UpdateStreamRequest) (*livekit.EgressInfo, error) {
	return w.updateStreams(req.GetEgressId(), req.GetAddOutputUrls(), req.GetRemoveOutputUrls())
}

func (w *worker) UpdateEgress(_ context.Context, req *livekit.UpdateEgressRequest) (*livekit.EgressInfo, error) {
	return w.updateStreams(req.GetEgressId(), req.GetAddStreamUrls(), req.GetRemoveStreamUrls())
}

func (w *worker) updateStreams(id string, add, remove []string) (*livekit.EgressInfo, error) {
	e := w.find(id)
	if e == nil {
		return nil, psrpc.NewErrorf(psrpc.NotFound, "egress %s not found on this worker", id)
	}
	var reply *livekit.EgressInfo
	w.transition(e, func(i *livekit.EgressInfo, now time.Time) bool {
		i.StreamResults = applyStreamUpdate(i.StreamResults, add, remove, now)
		reply = proto.Clone(i).(*livekit.EgressInfo)
		return true
	})
	return reply, nil
}

// shutdown is SIGTERM: stop taking work and end every running egress as COMPLETE, as the real
// worker does when it is drained.
func (w *worker) shutdown() {
	w.mu.Lock()
	w.draining = true
	var running []*egress
	for _, e := range w.egresses {
		if !terminal(e.info.Status) {
			running = append(running, e)
		}
	}
	w.mu.Unlock()
	for _, e := range running {
		w.transition(e, func(i *livekit.EgressInfo, _ time.Time) bool {
			if terminal(i.Status) || i.Status == livekit.EgressStatus_EGRESS_ENDING {
				return false
			}
			i.Status = livekit.EgressStatus_EGRESS_ENDING
			i.Details = "End reason: Shutdown"
			return true
		})
		w.complete(e)
	}
}

func (w *worker) find(id string) *egress {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.egresses[id]
}

func (w *worker) forget(id string) {
	w.mu.Lock()
	delete(w.egresses, id)
	w.mu.Unlock()
	w.deregisterHandlers(id)
}

func (w *worker) registerHandlers(id string) error {
	if err := w.handlers.RegisterStopEgressTopic(id); err != nil {
		return err
	}
	if err := w.handlers.RegisterUpdateStreamTopic(id); err != nil {
		w.handlers.DeregisterStopEgressTopic(id)
		return err
	}
	if err := w.handlers.RegisterUpdateEgressTopic(id); err != nil {
		w.handlers.DeregisterStopEgressTopic(id)
		w.handlers.DeregisterUpdateStreamTopic(id)
		return err
	}
	return nil
}

// deregisterHandlers runs apart from the handler that may be calling it, so psrpc never waits
// on itself.
func (w *worker) deregisterHandlers(id string) {
	go func() {
		w.handlers.DeregisterStopEgressTopic(id)
		w.handlers.DeregisterUpdateStreamTopic(id)
		w.handlers.DeregisterUpdateEgressTopic(id)
	}()
}
