// Command egress-worker is a stand-in for LiveKit's egress service, for tests and demos. It
// registers with a real livekit-server over the server's Redis through LiveKit's own psrpc
// stubs and walks each egress through the statuses the real worker reports, without any media.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/livekit/protocol/rpc"
	"github.com/livekit/psrpc"
	"github.com/redis/go-redis/v9"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "egress-worker:", err)
		os.Exit(1)
	}
}

func run() error {
	var cfg config
	redisAddr := flag.String("redis", env("EGRESS_WORKER_REDIS", ""), "host:port of the Redis livekit-server uses (env EGRESS_WORKER_REDIS)")
	flag.StringVar(&cfg.id, "id", env("EGRESS_WORKER_ID", fmt.Sprintf("EW_standin_%d", os.Getpid())), "worker (node) id (env EGRESS_WORKER_ID)")
	flag.DurationVar(&cfg.startDelay, "start-delay", envDuration("EGRESS_WORKER_START_DELAY", 0), "answer StartEgress only after this long (the egress exists before)")
	flag.DurationVar(&cfg.activeDelay, "active-delay", envDuration("EGRESS_WORKER_ACTIVE_DELAY", 200*time.Millisecond), "STARTING -> ACTIVE after this long")
	flag.DurationVar(&cfg.endDelay, "end-delay", envDuration("EGRESS_WORKER_END_DELAY", 100*time.Millisecond), "ENDING -> COMPLETE after this long")
	flag.BoolVar(&cfg.failStart, "fail-start", envBool("EGRESS_WORKER_FAIL_START"), "answer StartEgress with an error")
	flag.DurationVar(&cfg.failAfter, "fail-after", envDuration("EGRESS_WORKER_FAIL_AFTER", 0), "report FAILED this long after ACTIVE (0: never)")
	flag.Float64Var(&cfg.affinity, "affinity", envFloat("EGRESS_WORKER_AFFINITY", 1), "claim affinity; 1 wins at once, lower loses to a worker claiming 1")
	flag.IntVar(&cfg.capacity, "capacity", envInt("EGRESS_WORKER_CAPACITY", 0), "decline starts while this many egresses run (0: no limit)")
	logLevel := flag.String("log", env("EGRESS_WORKER_LOG", "info"), "quiet | info | debug (JSON lines on stdout)")
	flag.Parse()
	if *redisAddr == "" {
		return fmt.Errorf("--redis is required")
	}

	log := newLogger(*logLevel, cfg.id)
	rc := redis.NewUniversalClient(&redis.UniversalOptions{
		Addrs:      []string{*redisAddr},
		ClientName: "egress-stand-in:" + cfg.id,
	})
	defer rc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	err := rc.Ping(ctx).Err()
	cancel()
	if err != nil {
		return fmt.Errorf("redis %s: %w", *redisAddr, err)
	}
	bus := psrpc.NewRedisMessageBus(rc)

	ioClient, err := rpc.NewIOInfoClient(bus)
	if err != nil {
		return err
	}
	w := &worker{cfg: cfg, log: log, io: ioClient, egresses: map[string]*egress{}}
	w.handlers, err = rpc.NewEgressHandlerServer(w, bus, psrpc.WithServerID(cfg.id))
	if err != nil {
		return err
	}
	internal, err := rpc.NewEgressInternalServer(w, bus, psrpc.WithServerID(cfg.id))
	if err != nil {
		return err
	}
	// The server always publishes StartEgress on the empty topic.
	if err := internal.RegisterStartEgressTopic(""); err != nil {
		return err
	}
	if err := internal.RegisterListActiveEgressTopic(""); err != nil {
		return err
	}
	if err := waitSubscribed(rc, "egress-stand-in:"+cfg.id); err != nil {
		return err
	}
	log.event("ready", map[string]any{"redis": *redisAddr})

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	log.event("shutting_down", nil)
	internal.DeregisterStartEgressTopic("")
	w.shutdown()
	internal.Shutdown()
	w.handlers.Shutdown()
	ioClient.Close()
	log.event("stopped", nil)
	return nil
}

// ListActiveEgress is optional (v1.13.5 never calls it); it lists what runs here.
func (w *worker) ListActiveEgress(_ context.Context, _ *rpc.ListActiveEgressRequest) (*rpc.ListActiveEgressResponse, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	res := &rpc.ListActiveEgressResponse{}
	for id, e := range w.egresses {
		if !terminal(e.info.Status) {
			res.EgressIds = append(res.EgressIds, id)
		}
	}
	return res, nil
}

// waitSubscribed: psrpc subscribes in a background writer, so "registered" is only true once
// Redis shows our pub/sub connection holding channels. Only then is the ready line honest.
func waitSubscribed(rc redis.UniversalClient, name string) error {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		list, err := rc.ClientList(context.Background()).Result()
		if err == nil {
			for _, line := range strings.Split(list, "\n") {
				if strings.Contains(line, " name="+name+" ") && subCount(line) > 0 {
					return nil
				}
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	return fmt.Errorf("no Redis subscription after 10s")
}

func subCount(clientLine string) int {
	for _, f := range strings.Fields(clientLine) {
		if v, ok := strings.CutPrefix(f, "sub="); ok {
			n, _ := strconv.Atoi(v)
			return n
		}
	}
	return 0
}

var _ rpc.EgressInternalServerImpl = (*worker)(nil)
var _ rpc.EgressHandlerServerImpl = (*worker)(nil)

func env(k, def string) string {
	if v, ok := os.LookupEnv(k); ok {
		return v
	}
	return def
}

func envDuration(k string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(k)); err == nil {
		return d
	}
	return def
}

func envBool(k string) bool {
	b, _ := strconv.ParseBool(os.Getenv(k))
	return b
}

func envFloat(k string, def float64) float64 {
	if f, err := strconv.ParseFloat(os.Getenv(k), 64); err == nil {
		return f
	}
	return def
}

func envInt(k string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(k)); err == nil {
		return n
	}
	return def
}
