package frames

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// EventsRequest says how to frame audit events as annotations.
type EventsRequest struct {
	ServiceNames map[string]string // id -> name
	UserLogins   map[string]string // user id -> login (e-mail); missing ones show the id
	Truncated    bool              // the listing was cut short: say so
}

// eventTitles are readable titles for the events dashboards care about; %s is the version.
var eventTitles = map[string]string{
	"version.activate":   "Version %s activated",
	"version.deactivate": "Version %s deactivated",
	"version.create":     "Version %s created",
	"version.lock":       "Version %s locked",
	"service.purge_all":  "Purged all content",
	"service.create":     "Service created",
	"service.delete":     "Service deleted",
}

var reVersion = regexp.MustCompile(`[Vv]ersion '?(\d+)'?`)

// EventsFrame builds the frame Grafana turns into annotations: its standard fields time, title,
// text and tags (a JSON array of strings, which Grafana reads as the tag list), followed by
// event_type, service, service_name, user and id for tables and filtering. Annotations have no
// data plane type of their own: the frame is a plain table, which SQL expressions and table
// panels read as it is. Events come newest first.
func EventsFrame(events []fastly.Event, r EventsRequest) *data.Frame {
	n := len(events)
	times := make([]time.Time, n)
	titles := make([]string, n)
	texts := make([]string, n)
	tags := make([]json.RawMessage, n)
	types := make([]string, n)
	services := make([]string, n)
	names := make([]string, n)
	users := make([]string, n)
	ids := make([]string, n)
	for i, e := range events {
		name := ""
		if e.ServiceID != "" {
			name = serviceName(r.ServiceNames, e.ServiceID)
		}
		who := eventUser(e, r.UserLogins)
		times[i] = e.CreatedAt
		titles[i] = eventTitle(e)
		texts[i] = eventText(titles[i], name, who, e.Description)
		tagList := []string{e.Type}
		if name != "" {
			tagList = append(tagList, name)
		}
		tags[i], _ = json.Marshal(tagList) // a list of strings always encodes
		types[i], services[i], names[i], users[i], ids[i] = e.Type, e.ServiceID, name, who, e.ID
	}
	frame := data.NewFrame("events",
		data.NewField("time", nil, times),
		data.NewField("title", nil, titles),
		data.NewField("text", nil, texts),
		data.NewField("tags", nil, tags),
		data.NewField("event_type", nil, types),
		data.NewField("service", nil, services),
		data.NewField("service_name", nil, names),
		data.NewField("user", nil, users),
		data.NewField("id", nil, ids),
	)
	frame.SetMeta(&data.FrameMeta{Type: data.FrameTypeTable})
	if r.Truncated {
		frame.Meta.Notices = []data.Notice{{
			Severity: data.NoticeSeverityWarning,
			Text:     "Fastly has more events in this range than one panel shows; narrow the range or the event types to see them all.",
		}}
	}
	return frame
}

// eventTitle names what happened, with the version where there is one.
func eventTitle(e fastly.Event) string {
	format, ok := eventTitles[e.Type]
	if !ok {
		return humanize(e.Type)
	}
	if !strings.Contains(format, "%s") {
		return format
	}
	if v := eventVersion(e); v != "" {
		return fmt.Sprintf(format, v)
	}
	return strings.TrimSpace(strings.Replace(format, "%s ", "", 1))
}

// eventVersion reads the version from the metadata, or else from the description.
func eventVersion(e fastly.Event) string {
	switch v := e.Metadata["version"].(type) {
	case float64:
		return strconv.FormatInt(int64(v), 10)
	case string:
		if v != "" {
			return v
		}
	}
	if m := reVersion.FindStringSubmatch(e.Description); m != nil {
		return m[1]
	}
	return ""
}

// humanize turns an event type such as "logging.update" into "Logging update".
func humanize(t string) string {
	if t == "" {
		return "Event"
	}
	s := strings.NewReplacer(".", " ", "_", " ").Replace(t)
	return strings.ToUpper(s[:1]) + s[1:]
}

// eventUser is who did it: the login when known, else the user id; Fastly staff are named so.
func eventUser(e fastly.Event, logins map[string]string) string {
	switch {
	case e.Admin:
		return "Fastly staff"
	case e.UserID == "":
		return ""
	case logins[e.UserID] != "":
		return logins[e.UserID]
	}
	return "user " + e.UserID
}

// eventText reads "Version 12 activated on www.example.com by ops@example.com — <description>",
// leaving out the parts the event lacks.
func eventText(title, service, who, description string) string {
	var b strings.Builder
	b.WriteString(title)
	if service != "" {
		b.WriteString(" on ")
		b.WriteString(service)
	}
	if who != "" {
		b.WriteString(" by ")
		b.WriteString(who)
	}
	if d := strings.TrimSpace(description); d != "" {
		b.WriteString(" — ")
		b.WriteString(d)
	}
	return b.String()
}
