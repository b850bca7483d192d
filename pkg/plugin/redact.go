package plugin

import (
	"errors"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/safetext"
)

// redact is the one redaction every text leaving the plugin goes through (query errors and
// notices, stream packets, health results, resource answers, logs): the last line of
// defence, after the Fastly client already removed the token from what Fastly echoed.
func (ds *Datasource) redact(text string) string {
	return safetext.Redact(text, ds.settings.APIToken)
}

// redactResponse cleans a query's answer: its error and every notice of its frames.
func (ds *Datasource) redactResponse(r backend.DataResponse) backend.DataResponse {
	if r.Error != nil {
		if msg := ds.redact(r.Error.Error()); msg != r.Error.Error() {
			r.Error = errors.New(msg)
		}
	}
	ds.redactNotices(r.Frames...)
	return r
}

// redactNotices cleans the notices of frames about to be sent (to a panel or a stream).
func (ds *Datasource) redactNotices(frames ...*data.Frame) {
	for _, f := range frames {
		if f == nil || f.Meta == nil {
			continue
		}
		for i := range f.Meta.Notices {
			f.Meta.Notices[i].Text = ds.redact(f.Meta.Notices[i].Text)
		}
	}
}

// redactHealth cleans a health result: its message quotes Fastly (the token's name, errors).
func (ds *Datasource) redactHealth(r *backend.CheckHealthResult) *backend.CheckHealthResult {
	r.Message = ds.redact(r.Message)
	r.JSONDetails = ds.redactBytes(r.JSONDetails)
	return r
}

// redactBytes is redact for JSON bodies; replacing inside a JSON string keeps it valid JSON.
func (ds *Datasource) redactBytes(b []byte) []byte {
	if ds.settings.APIToken == "" || len(b) == 0 {
		return b
	}
	return []byte(ds.redact(string(b)))
}

// redactingSender cleans resource answers (service names and errors come from Fastly).
type redactingSender struct {
	ds   *Datasource
	next backend.CallResourceResponseSender
}

func (s redactingSender) Send(r *backend.CallResourceResponse) error {
	r.Body = s.ds.redactBytes(r.Body)
	return s.next.Send(r)
}
