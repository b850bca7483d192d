package frames

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// LogsRequest carries what a logs frame needs besides the records.
type LogsRequest struct {
	ServiceID string
	Limit     int  // the line bound the query asked for
	More      bool // Fastly had more records than the bound
	Notices   []data.Notice
}

// LogsFrame lays sampled log records out as a data plane logs frame (log-lines): timestamp,
// body (an access-log line), severity from the status (5xx error, 4xx warning, else info), a
// unique id, and labels for POP, status, cache state, country and device, which Explore
// offers as filters and the Logs panel shows beside each line.
func LogsFrame(records []fastly.LogRecord, r LogsRequest) *data.Frame {
	n := len(records)
	times := make([]time.Time, n)
	bodies := make([]string, n)
	severities := make([]string, n)
	ids := make([]string, n)
	labels := make([]json.RawMessage, n)
	for i, rec := range records {
		times[i] = rec.Time
		bodies[i] = logLine(rec)
		severities[i] = severity(rec.Get("response_status"))
		ids[i] = fmt.Sprintf("%d_%d", rec.Time.UnixNano(), i)
		labels[i] = logLabels(rec, r.ServiceID)
	}
	frame := data.NewFrame("logs",
		data.NewField("timestamp", nil, times),
		data.NewField("body", nil, bodies),
		data.NewField("severity", nil, severities),
		data.NewField("id", nil, ids),
		data.NewField("labels", nil, labels),
	)
	notices := append([]data.Notice(nil), r.Notices...)
	if r.More {
		notices = append(notices, data.Notice{Severity: data.NoticeSeverityInfo, Text: fmt.Sprintf(
			"Showing the newest %d sampled requests; Fastly has more in this range. Narrow the range, add filters, or raise the limit (at most %d).",
			r.Limit, fastly.MaxLogLines)})
	}
	setSampleMeta(frame, data.FrameTypeLogLines, data.FrameTypeVersion{0, 0}, data.VisTypeLogs, notices, n)
	return frame
}

// logLine reads like an access log: method, host and path, status, cache state, time, size,
// POP and client.
func logLine(rec fastly.LogRecord) string {
	var b strings.Builder
	b.WriteString(orDash(rec.Get("request_method")))
	b.WriteString(" ")
	b.WriteString(rec.Get("request_host"))
	b.WriteString(orDash(rec.Get("request_path")))
	for _, part := range []string{rec.Get("response_status"), cacheState(rec)} {
		b.WriteString(" ")
		b.WriteString(orDash(part))
	}
	if secs, err := strconv.ParseFloat(rec.Get("response_time"), 64); err == nil {
		fmt.Fprintf(&b, " %.1fms", secs*1000)
	}
	if body := rec.Get("response_bytes_body"); body != "" {
		fmt.Fprintf(&b, " %sB", body)
	}
	fmt.Fprintf(&b, " pop=%s country=%s device=%s", orDash(rec.Get("fastly_pop")),
		orDash(rec.Get("client_country_code")), orDash(rec.Get("client_device_type")))
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// cacheState is Fastly's response_state (HIT, MISS, PASS, ...), or HIT/MISS from is_cache_hit
// when the record lacks it.
func cacheState(rec fastly.LogRecord) string {
	if s := rec.Get("response_state"); s != "" {
		return s
	}
	switch rec.Get("is_cache_hit") {
	case "true":
		return "HIT"
	case "false":
		return "MISS"
	}
	return ""
}

// severity maps an HTTP status to a Grafana log level.
func severity(status string) string {
	code, err := strconv.Atoi(status)
	switch {
	case err != nil:
		return "unknown"
	case code >= 500:
		return "error"
	case code >= 400:
		return "warning"
	}
	return "info"
}

// logLabels are the record's dimensions as a JSON object; absent fields are left out.
func logLabels(rec fastly.LogRecord, serviceID string) json.RawMessage {
	labels := map[string]string{"service": serviceID}
	for key, field := range map[string]string{
		"pop": "fastly_pop", "status": "response_status", "country": "client_country_code",
		"device": "client_device_type", "host": "request_host", "method": "request_method",
	} {
		if v := rec.Get(field); v != "" {
			labels[key] = v
		}
	}
	if s := cacheState(rec); s != "" {
		labels["cache_state"] = s
	}
	b, _ := json.Marshal(labels) // a map of strings always encodes
	return b
}
