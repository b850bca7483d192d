package models

import "fmt"

// MaxTop bounds a stats query's top: more series than this are no longer a ranking a panel can
// show.
const MaxTop = 100

// OtherServices is the service id and name of the series that sums every service outside a
// query's top.
const OtherServices = "other"

// validateTop checks a query's top (the N services with the most of the first metric, the
// rest summed as "other"), where the type takes one.
func (q Query) validateTop(spec TypeSpec) error {
	if q.Top == 0 {
		return nil
	}
	if !spec.takes("top") {
		return fmt.Errorf("a %s query has no top list: remove top from it", q.QueryType)
	}
	if q.Top < 0 || q.Top > MaxTop {
		return fmt.Errorf("top is %d: use 1 to %d services (0 keeps every service)", q.Top, MaxTop)
	}
	return nil
}
