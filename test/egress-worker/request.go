package main

import (
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/livekit/protocol/livekit"
	"github.com/livekit/protocol/rpc"
)

// storage is where an output would be uploaded; nil fields mean "local disk".
type storage struct {
	s3    *livekit.S3Upload
	gcp   *livekit.GCPUpload
	azure *livekit.AzureBlobUpload
	ali   *livekit.AliOSSUpload
}

type fileOut struct {
	filepath string
	ext      string
	store    storage
}

type segmentOut struct {
	prefix   string
	playlist string
	live     string
	store    storage
}

// plan is what the stand-in needs to know about one request: the EgressInfo fields the server
// and clients read back, and the outputs it will pretend to write.
type plan struct {
	roomName   string
	sourceType livekit.EgressSourceType
	identity   string
	trackID    string
	files      []fileOut
	streams    []string
	segments   []segmentOut
	images     int
	setRequest func(info *livekit.EgressInfo)
}

// describe reads the request oneof. The Node SDK sends a single output twice (the deprecated
// `output` field and the list), so the lists win and the legacy field is only a fallback.
func describe(req *rpc.StartEgressRequest) (*plan, error) {
	p := &plan{roomName: req.GetRoomName()}
	switch r := req.GetRequest().(type) {
	case *rpc.StartEgressRequest_RoomComposite:
		q := r.RoomComposite
		p.roomName = firstNonEmpty(q.GetRoomName(), p.roomName)
		p.sourceType = livekit.EgressSourceType_EGRESS_SOURCE_TYPE_WEB
		if q.GetAudioOnly() && q.GetLayout() == "" && q.GetCustomBaseUrl() == "" {
			p.sourceType = livekit.EgressSourceType_EGRESS_SOURCE_TYPE_SDK
		}
		p.addLegacy(q.GetFileOutputs(), q.GetStreamOutputs(), q.GetSegmentOutputs(), len(q.GetImageOutputs()),
			q.GetFile(), q.GetStream(), q.GetSegments(), q.GetAudioOnly())
		p.setRequest = func(i *livekit.EgressInfo) { i.Request = &livekit.EgressInfo_RoomComposite{RoomComposite: q} }
	case *rpc.StartEgressRequest_Web:
		q := r.Web
		p.sourceType = livekit.EgressSourceType_EGRESS_SOURCE_TYPE_WEB
		p.addLegacy(q.GetFileOutputs(), q.GetStreamOutputs(), q.GetSegmentOutputs(), len(q.GetImageOutputs()),
			q.GetFile(), q.GetStream(), q.GetSegments(), q.GetAudioOnly())
		p.setRequest = func(i *livekit.EgressInfo) { i.Request = &livekit.EgressInfo_Web{Web: q} }
	case *rpc.StartEgressRequest_Participant:
		q := r.Participant
		p.roomName = firstNonEmpty(q.GetRoomName(), p.roomName)
		p.identity = q.GetIdentity()
		p.sourceType = livekit.EgressSourceType_EGRESS_SOURCE_TYPE_SDK
		p.addLegacy(q.GetFileOutputs(), q.GetStreamOutputs(), q.GetSegmentOutputs(), len(q.GetImageOutputs()),
			nil, nil, nil, false)
		p.setRequest = func(i *livekit.EgressInfo) { i.Request = &livekit.EgressInfo_Participant{Participant: q} }
	case *rpc.StartEgressRequest_TrackComposite:
		q := r.TrackComposite
		p.roomName = firstNonEmpty(q.GetRoomName(), p.roomName)
		p.sourceType = livekit.EgressSourceType_EGRESS_SOURCE_TYPE_SDK
		p.addLegacy(q.GetFileOutputs(), q.GetStreamOutputs(), q.GetSegmentOutputs(), len(q.GetImageOutputs()),
			q.GetFile(), q.GetStream(), q.GetSegments(), q.GetVideoTrackId() == "")
		p.setRequest = func(i *livekit.EgressInfo) { i.Request = &livekit.EgressInfo_TrackComposite{TrackComposite: q} }
	case *rpc.StartEgressRequest_Track:
		q := r.Track
		p.roomName = firstNonEmpty(q.GetRoomName(), p.roomName)
		p.trackID = q.GetTrackId()
		p.sourceType = livekit.EgressSourceType_EGRESS_SOURCE_TYPE_SDK
		if f := q.GetFile(); f != nil {
			p.files = append(p.files, fileOut{filepath: f.GetFilepath(), ext: "",
				store: storage{f.GetS3(), f.GetGcp(), f.GetAzure(), f.GetAliOSS()}})
		}
		if ws := q.GetWebsocketUrl(); ws != "" {
			p.streams = append(p.streams, ws)
		}
		p.setRequest = func(i *livekit.EgressInfo) { i.Request = &livekit.EgressInfo_Track{Track: q} }
	case *rpc.StartEgressRequest_Egress:
		q := r.Egress
		p.roomName = firstNonEmpty(q.GetRoomName(), p.roomName)
		p.addUnified(q)
		p.setRequest = func(i *livekit.EgressInfo) { i.Request = &livekit.EgressInfo_Egress{Egress: q} }
	default:
		return nil, fmt.Errorf("request type %T is not supported by the stand-in", r)
	}
	return p, nil
}

func (p *plan) addLegacy(files []*livekit.EncodedFileOutput, streams []*livekit.StreamOutput,
	segments []*livekit.SegmentedFileOutput, images int, file *livekit.EncodedFileOutput,
	stream *livekit.StreamOutput, seg *livekit.SegmentedFileOutput, audioOnly bool) {
	if len(files) == 0 && file != nil {
		files = []*livekit.EncodedFileOutput{file}
	}
	if len(streams) == 0 && stream != nil {
		streams = []*livekit.StreamOutput{stream}
	}
	if len(segments) == 0 && seg != nil {
		segments = []*livekit.SegmentedFileOutput{seg}
	}
	for _, f := range files {
		p.files = append(p.files, fileOut{filepath: f.GetFilepath(), ext: extension(f.GetFileType(), audioOnly),
			store: storage{f.GetS3(), f.GetGcp(), f.GetAzure(), f.GetAliOSS()}})
	}
	for _, s := range streams {
		p.streams = append(p.streams, s.GetUrls()...)
	}
	for _, s := range segments {
		p.segments = append(p.segments, segmentOut{prefix: s.GetFilenamePrefix(), playlist: s.GetPlaylistName(),
			live: s.GetLivePlaylistName(), store: storage{s.GetS3(), s.GetGcp(), s.GetAzure(), s.GetAliOSS()}})
	}
	p.images = images
}

func (p *plan) addUnified(q *livekit.StartEgressRequest) {
	audioOnly := false
	switch s := q.GetSource().(type) {
	case *livekit.StartEgressRequest_Template:
		audioOnly = s.Template.GetAudioOnly()
		p.sourceType = livekit.EgressSourceType_EGRESS_SOURCE_TYPE_WEB
	case *livekit.StartEgressRequest_Web:
		audioOnly = s.Web.GetAudioOnly()
		p.sourceType = livekit.EgressSourceType_EGRESS_SOURCE_TYPE_WEB
	default:
		p.sourceType = livekit.EgressSourceType_EGRESS_SOURCE_TYPE_SDK
	}
	for _, o := range q.GetOutputs() {
		sc := o.GetStorage()
		if sc == nil {
			sc = q.GetStorage()
		}
		st := storage{sc.GetS3(), sc.GetGcp(), sc.GetAzure(), sc.GetAliOSS()}
		switch {
		case o.GetFile() != nil:
			f := o.GetFile()
			p.files = append(p.files, fileOut{filepath: f.GetFilepath(), ext: extension(f.GetFileType(), audioOnly), store: st})
		case o.GetStream() != nil:
			p.streams = append(p.streams, o.GetStream().GetUrls()...)
		case o.GetSegments() != nil:
			s := o.GetSegments()
			p.segments = append(p.segments, segmentOut{prefix: s.GetFilenamePrefix(), playlist: s.GetPlaylistName(),
				live: s.GetLivePlaylistName(), store: st})
		case o.GetImages() != nil:
			p.images++
		}
	}
}

func extension(t livekit.EncodedFileType, audioOnly bool) string {
	switch t {
	case livekit.EncodedFileType_MP4:
		return ".mp4"
	case livekit.EncodedFileType_OGG:
		return ".ogg"
	case livekit.EncodedFileType_MP3:
		return ".mp3"
	}
	if audioOnly {
		return ".ogg"
	}
	return ".mp4"
}

// expand fills the filename templates the real worker understands (the common ones) and adds
// the default name and extension the way it does.
func expand(tpl string, p *plan, roomID string, now time.Time, ext string) string {
	if tpl == "" || strings.HasSuffix(tpl, "/") {
		tpl += "{room_name}-{time}"
	}
	r := strings.NewReplacer(
		"{room_name}", p.roomName,
		"{room_id}", roomID,
		"{time}", now.Format("2006-01-02T150405"),
		"{utc}", now.UTC().Format("20060102150405"),
		"{publisher_identity}", p.identity,
		"{track_id}", p.trackID,
	)
	name := r.Replace(tpl)
	if ext != "" && path.Ext(name) == "" {
		name += ext
	}
	return name
}

// location is a plausible upload URL, or the local path when no storage was given.
func (s storage) location(name string) string {
	switch {
	case s.s3 != nil:
		if s.s3.GetEndpoint() != "" {
			return strings.TrimSuffix(s.s3.GetEndpoint(), "/") + "/" + s.s3.GetBucket() + "/" + name
		}
		return fmt.Sprintf("https://%s.s3.amazonaws.com/%s", s.s3.GetBucket(), name)
	case s.gcp != nil:
		return fmt.Sprintf("https://storage.googleapis.com/%s/%s", s.gcp.GetBucket(), name)
	case s.azure != nil:
		return fmt.Sprintf("https://%s.blob.core.windows.net/%s/%s", s.azure.GetAccountName(), s.azure.GetContainerName(), name)
	case s.ali != nil:
		return fmt.Sprintf("https://%s.%s/%s", s.ali.GetBucket(), s.ali.GetEndpoint(), name)
	}
	return name
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
