package fastlysim

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// Scenario is an incident the simulator can play on one service, so alert rules and incident
// dashboards can be shown firing on traffic that is otherwise normal. Unlike a Fault, which
// breaks the API, a scenario changes the traffic itself, at every resolution and in every API
// (stats, real-time, Origin and Domain Inspector) alike.
type Scenario int

// The scenarios. Each one changes whole UTC hours, the simulator's unit of traffic.
const (
	TrafficStopped Scenario = iota + 1 // no requests at all
	ErrorStorm                         // the edge answers 5xx twelve times as often, mostly 503
	CacheBypass                        // most requests that would hit the cache miss instead
	SlowOrigin                         // origin fetches take twenty times as long
	OriginErrors                       // the origin answers 503 to about half of the fetches
)

func (sc Scenario) String() string {
	switch sc {
	case TrafficStopped:
		return "traffic stopped"
	case ErrorStorm:
		return "error storm"
	case CacheBypass:
		return "cache bypass"
	case SlowOrigin:
		return "slow origin"
	case OriginErrors:
		return "origin errors"
	}
	return fmt.Sprintf("scenario %d", int(sc))
}

// ParseScenario reads a scenario's name as String writes it, with dashes for spaces
// ("error-storm"), for command-line flags.
func ParseScenario(name string) (Scenario, error) {
	var names []string
	for sc := TrafficStopped; sc <= OriginErrors; sc++ {
		flagName := strings.ReplaceAll(sc.String(), " ", "-")
		if name == flagName {
			return sc, nil
		}
		names = append(names, flagName)
	}
	return 0, fmt.Errorf("unknown scenario %q: use one of %s", name, strings.Join(names, ", "))
}

// scenarioSpan is one scenario over the UTC hours starting in [fromHour, toHour).
type scenarioSpan struct {
	scenario         Scenario
	fromHour, toHour int64
}

// scenarios holds a service's active scenarios; every copy of the service shares it.
type scenarios struct {
	mu    sync.RWMutex
	spans []scenarioSpan
}

// PlayScenario plays sc on the service over the UTC hours that overlap [from, to).
func (s *Server) PlayScenario(serviceID string, sc Scenario, from, to time.Time) error {
	sv, ok := s.byID[serviceID]
	if !ok {
		return fmt.Errorf("no simulated service %q", serviceID)
	}
	if sc < TrafficStopped || sc > OriginErrors {
		return fmt.Errorf("unknown scenario %d", int(sc))
	}
	span := scenarioSpan{scenario: sc, fromHour: floorDiv(from.Unix(), 3600) * 3600, toHour: to.Unix()}
	sv.scenarios.mu.Lock()
	sv.scenarios.spans = append(sv.scenarios.spans, span)
	sv.scenarios.mu.Unlock()
	return nil
}

// ClearScenarios brings every service back to its normal traffic.
func (s *Server) ClearScenarios() {
	for _, sv := range s.services {
		sv.scenarios.mu.Lock()
		sv.scenarios.spans = nil
		sv.scenarios.mu.Unlock()
	}
}

// scenarioSet is the scenarios on for one hour, one bit each.
type scenarioSet uint8

func (set scenarioSet) has(sc Scenario) bool { return set&(1<<sc) != 0 }

// playing lists the scenarios on for the UTC hour starting at hour.
func (s *svcInfo) playing(hour int64) scenarioSet {
	if s.scenarios == nil {
		return 0
	}
	s.scenarios.mu.RLock()
	defer s.scenarios.mu.RUnlock()
	var set scenarioSet
	for _, sp := range s.scenarios.spans {
		if hour >= sp.fromHour && hour < sp.toHour {
			set |= 1 << sp.scenario
		}
	}
	return set
}
