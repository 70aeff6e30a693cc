package main

import (
	"encoding/json"
	"os"
	"sync"
	"time"
)

// logger writes one JSON object per line on stdout; the test harness reads these lines (the
// "ready" line above all), so the format is part of the harness contract.
type logger struct {
	mu    sync.Mutex
	quiet bool
	id    string
	enc   *json.Encoder
}

func newLogger(level, id string) *logger {
	return &logger{quiet: level == "quiet", id: id, enc: json.NewEncoder(os.Stdout)}
}

func (l *logger) event(name string, fields map[string]any) {
	// "ready" is always printed: the harness waits for it.
	if l.quiet && name != "ready" {
		return
	}
	rec := map[string]any{"event": name, "worker": l.id, "ts": time.Now().UnixMilli()}
	for k, v := range fields {
		rec[k] = v
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	_ = l.enc.Encode(rec)
}
