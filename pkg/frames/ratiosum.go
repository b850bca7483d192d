package frames

import "fmt"

// RatioSumError is a ratio Fastly computes per series that a query asked to add across series:
// the ratio of a sum cannot be rebuilt from the ratios, so the query's grouping must keep the
// series apart. It is a type so the plugin can place it on the query's grouping.
type RatioSumError struct {
	Metric string
	Per    string // what Fastly computes the ratio for: "service", "series"
	Across string // what the query adds up
	Fix    string // the grouping that keeps them apart
}

func (e *RatioSumError) Error() string {
	return fmt.Sprintf("%s is a ratio Fastly computes per %s, so it cannot be added across %s: %s", e.Metric, e.Per, e.Across, e.Fix)
}
