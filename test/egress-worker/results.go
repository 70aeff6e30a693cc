package main

import (
	"time"

	"github.com/livekit/protocol/livekit"
)

// Fake sizes: about 4.8 Mbit/s of "video", so a size grows with the duration like a real file.
const bytesPerSecond = 600_000

func fakeSize(d time.Duration) int64 {
	s := int64(d.Seconds() * bytesPerSecond)
	if s < 1 {
		s = 1
	}
	return s
}

func fileResults(p *plan, roomID string, start, end time.Time) []*livekit.FileInfo {
	var out []*livekit.FileInfo
	for _, f := range p.files {
		name := expand(f.filepath, p, roomID, start, f.ext)
		out = append(out, &livekit.FileInfo{
			Filename:  name,
			StartedAt: start.UnixNano(),
			EndedAt:   end.UnixNano(),
			Duration:  end.Sub(start).Nanoseconds(),
			Size:      fakeSize(end.Sub(start)),
			Location:  f.store.location(name),
		})
	}
	return out
}

func segmentResults(p *plan, roomID string, start, end time.Time) []*livekit.SegmentsInfo {
	var out []*livekit.SegmentsInfo
	for _, s := range p.segments {
		playlist := s.playlist
		if playlist == "" {
			playlist = "playlist"
		}
		name := expand(s.prefix, p, roomID, start, "") + "-" + playlist
		if len(name) < 5 || name[len(name)-5:] != ".m3u8" {
			name += ".m3u8"
		}
		info := &livekit.SegmentsInfo{
			PlaylistName:     name,
			Duration:         end.Sub(start).Nanoseconds(),
			Size:             fakeSize(end.Sub(start)),
			PlaylistLocation: s.store.location(name),
			SegmentCount:     int64(end.Sub(start)/(6*time.Second)) + 1,
			StartedAt:        start.UnixNano(),
			EndedAt:          end.UnixNano(),
		}
		if s.live != "" {
			info.LivePlaylistName = s.live
			info.LivePlaylistLocation = s.store.location(s.live)
		}
		out = append(out, info)
	}
	return out
}

func imageResults(p *plan, start, end time.Time) []*livekit.ImagesInfo {
	var out []*livekit.ImagesInfo
	for i := 0; i < p.images; i++ {
		out = append(out, &livekit.ImagesInfo{
			ImageCount: int64(end.Sub(start)/(10*time.Second)) + 1,
			StartedAt:  start.UnixNano(),
			EndedAt:    end.UnixNano(),
		})
	}
	return out
}

// streamResults echoes the URLs as given (stream keys included): a tool that copies them into
// its status files unredacted is caught by its own secret tests.
func streamResults(p *plan, now time.Time) []*livekit.StreamInfo {
	var out []*livekit.StreamInfo
	for _, u := range p.streams {
		out = append(out, &livekit.StreamInfo{Url: u, StartedAt: now.UnixNano(), Status: livekit.StreamInfo_ACTIVE})
	}
	return out
}

func finishStreams(streams []*livekit.StreamInfo, now time.Time) {
	for _, s := range streams {
		if s.Status == livekit.StreamInfo_ACTIVE {
			s.Status = livekit.StreamInfo_FINISHED
			s.EndedAt = now.UnixNano()
			s.Duration = s.EndedAt - s.StartedAt
		}
	}
}

func applyStreamUpdate(streams []*livekit.StreamInfo, add, remove []string, now time.Time) []*livekit.StreamInfo {
	drop := map[string]bool{}
	for _, u := range remove {
		drop[u] = true
	}
	for _, s := range streams {
		if drop[s.Url] && s.Status == livekit.StreamInfo_ACTIVE {
			s.Status = livekit.StreamInfo_FINISHED
			s.EndedAt = now.UnixNano()
			s.Duration = s.EndedAt - s.StartedAt
		}
	}
	for _, u := range add {
		streams = append(streams, &livekit.StreamInfo{Url: u, StartedAt: now.UnixNano(), Status: livekit.StreamInfo_ACTIVE})
	}
	return streams
}
