package live

import (
	"errors"
	"fmt"
	"strings"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// MaxPathLen bounds a channel path (the part after ds/<uid>/): Grafana Live refuses longer
// channel names, so a query whose options do not fit is refused with a message rather than
// failing later in the browser.
const MaxPathLen = 160

// Channel is what one Grafana Live channel streams: one service of one product, some metrics,
// optionally some POPs, grouped one way. Everything is in the path itself, so any plugin
// instance (after a restart, on another Grafana replica) can decode it without shared state.
// It holds only what the data depends on: display options such as the legend stay with the
// panel (the browser names streamed series), so they never limit a stream and panels that
// show the same data differently share one channel.
type Channel struct {
	Product fastly.RealtimeProduct
	Service string
	Metrics []string // catalog names, in display order
	POPs    []string // POP codes to keep; empty means all
	GroupBy string   // "" (one series) or "pop"
}

// ErrChannelTooLong means the options do not fit in a channel path.
var ErrChannelTooLong = errors.New("too many real-time options for one live channel: pick fewer metrics or POPs, or split them over several queries")

// Path encodes c as rt/<service>/m=<metric>.<metric>/p=<POPs>/g=pop. Metric names and POP
// codes only use letters, digits and '_', so they go as they are; three-letter POP codes (all
// of Fastly's) are written back to back after p=, other codes dotted after q=. Omitted parts
// take their defaults.
func (c Channel) Path() (string, error) {
	if err := c.validate(); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(c.Product.Tag())
	b.WriteString("/")
	b.WriteString(c.Service)
	b.WriteString("/m=")
	b.WriteString(strings.Join(c.Metrics, "."))
	if len(c.POPs) > 0 {
		if allLen3(c.POPs) {
			b.WriteString("/p=")
			b.WriteString(strings.Join(c.POPs, ""))
		} else {
			b.WriteString("/q=")
			b.WriteString(strings.Join(c.POPs, "."))
		}
	}
	if c.GroupBy != "" {
		b.WriteString("/g=")
		b.WriteString(c.GroupBy)
	}
	if b.Len() > MaxPathLen {
		return "", ErrChannelTooLong
	}
	return b.String(), nil
}

// ParseChannel decodes a path made by Path. It checks the shape only; whether the metrics
// and the service exist is for the caller, who has the catalog and the service list. A
// legend part (l=...), which earlier versions wrote, is accepted and ignored, so a browser
// still subscribed to such a path across an upgrade keeps streaming.
func ParseChannel(path string) (Channel, error) {
	if len(path) > MaxPathLen {
		return Channel{}, ErrChannelTooLong
	}
	for i := 0; i < len(path); i++ {
		if !pathChar(path[i]) {
			return Channel{}, fmt.Errorf("channel path has a character outside letters, digits and _-/=.")
		}
	}
	parts := strings.Split(path, "/")
	if len(parts) < 3 {
		return Channel{}, errors.New("channel path is too short")
	}
	c := Channel{Product: fastly.RealtimeProductByTag(parts[0])}
	if c.Product == "" {
		return Channel{}, fmt.Errorf("unknown real-time product %q", parts[0])
	}
	c.Service = parts[1]
	seen := map[byte]bool{}
	for _, part := range parts[2:] {
		if len(part) < 2 || part[1] != '=' || seen[part[0]] {
			return Channel{}, fmt.Errorf("malformed channel part %q", part)
		}
		seen[part[0]] = true
		val := part[2:]
		switch part[0] {
		case 'm':
			c.Metrics = strings.Split(val, ".")
		case 'p':
			if seen['q'] || len(val)%3 != 0 {
				return Channel{}, errors.New("malformed POP list in channel path")
			}
			for i := 0; i < len(val); i += 3 {
				c.POPs = append(c.POPs, val[i:i+3])
			}
		case 'q':
			if seen['p'] {
				return Channel{}, errors.New("malformed POP list in channel path")
			}
			c.POPs = strings.Split(val, ".")
		case 'g':
			c.GroupBy = val
		case 'l': // the legend earlier versions wrote: display only, ignored
		default:
			return Channel{}, fmt.Errorf("unknown channel part %q", part)
		}
	}
	if err := c.validate(); err != nil {
		return Channel{}, err
	}
	return c, nil
}

func (c Channel) validate() error {
	if c.Product.Tag() == "" {
		return fmt.Errorf("unknown real-time product %q", c.Product)
	}
	if !word(c.Service, false) || len(c.Service) > 64 {
		return fmt.Errorf("%q is not a Fastly service id", c.Service)
	}
	if len(c.Metrics) == 0 {
		return errors.New("no metrics in channel")
	}
	for _, m := range c.Metrics {
		if !word(m, true) {
			return fmt.Errorf("%q is not a metric name", m)
		}
	}
	for _, p := range c.POPs {
		if !word(p, false) || len(p) > 8 {
			return fmt.Errorf("%q is not a POP code", p)
		}
	}
	if c.GroupBy != "" && c.GroupBy != "pop" {
		return fmt.Errorf("a live channel can be grouped by pop only, not %q", c.GroupBy)
	}
	return nil
}

func allLen3(pops []string) bool {
	for _, p := range pops {
		if len(p) != 3 {
			return false
		}
	}
	return true
}

// word reports whether s is non-empty letters and digits (and '_' when underscore is set).
func word(s string, underscore bool) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || underscore && c == '_') {
			return false
		}
	}
	return true
}

// pathChar is Grafana Live's channel path alphabet.
func pathChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '-' || c == '/' || c == '=' || c == '.'
}
