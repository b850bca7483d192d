package fastlysim

import (
	"fmt"
	"slices"
	"strings"
)

// DatacenterFilter is how /stats answers its `datacenter` parameter (comma-separated POP
// codes; docs/fastly-api.md, "POP filter"). An API that ignores it, or answers an unknown code
// with empty data rather than an error, would look alike to a careless client. Each plausible
// answer is a setting, so the plugin's historical POP map is tested against all of them.
type DatacenterFilter int

const (
	// DatacenterHonoured sums only the named POPs and refuses an unknown code with HTTP 400
	// "Invalid datacenter". The default.
	DatacenterHonoured DatacenterFilter = iota
	// DatacenterUnknownEmpty sums only the named POPs; an unknown code matches no POP, so it
	// gets empty data with HTTP 200.
	DatacenterUnknownEmpty
	// DatacenterIgnored drops the parameter, as an API version without it would: every
	// "per-POP" answer is the unfiltered total.
	DatacenterIgnored
)

// datacenterFilterNames are the settings' names on the command line (fastlysim -datacenter-filter).
var datacenterFilterNames = []string{"honoured", "unknown-empty", "ignored"}

// ParseDatacenterFilter reads a setting by its command-line name.
func ParseDatacenterFilter(name string) (DatacenterFilter, error) {
	return parseSetting[DatacenterFilter]("datacenter filter", datacenterFilterNames, name)
}

// parseSetting reads a simulator setting by its command-line name: its index in names.
func parseSetting[T ~int](what string, names []string, name string) (T, error) {
	if i := slices.Index(names, name); i >= 0 {
		return T(i), nil
	}
	return 0, fmt.Errorf("unknown %s %q: use one of %s", what, name, strings.Join(names, ", "))
}

// SetDatacenterFilter changes how the stats endpoints answer `datacenter` for the requests
// that follow.
func (s *Server) SetDatacenterFilter(f DatacenterFilter) {
	s.mu.Lock()
	s.dcFilter = f
	s.mu.Unlock()
}

// datacenters reads the `datacenter` parameter as the current DatacenterFilter says: nil means
// every POP. echo is what meta.datacenter says back, the codes as sent ("" when the filter is
// not applied, as an API version without it would not echo it either).
func (s *Server) datacenters(param string) (dcs map[string]bool, echo string, e *apiError) {
	s.mu.Lock()
	mode := s.dcFilter
	s.mu.Unlock()
	if param == "" || mode == DatacenterIgnored {
		return nil, "", nil
	}
	dcs = map[string]bool{}
	for _, c := range strings.Split(param, ",") {
		c = strings.TrimSpace(c)
		if _, ok := popByCode[c]; !ok && mode == DatacenterHonoured {
			return nil, "", badRequest("invalid datacenter") // lower case too, as the engineers' notes say
		}
		dcs[c] = true // an unknown code matches no POP of any service: empty data
	}
	return dcs, param, nil
}
