package fastly

import (
	"context"

	"github.com/opsdeck/fastly-datasource/pkg/fanout"
)

// maxFieldCalls is the most fields a stats query fetches with one call each (per chunk). A
// per-field record is about 70 bytes against about 5 KB for a whole record of ~150 fields, so
// per-field calls move fewer bytes up to dozens of fields; the cap keeps the number of calls a
// panel makes small, and past it one whole-record call per chunk is the cheaper plan in calls.
const maxFieldCalls = 6

// planStats splits a query's fields into the groups fetched together: one group per field
// while there are few (the per-field endpoints send only what is asked), otherwise one group of
// every field (whole records). Every service at once has one exception: whole records of a
// large account are gigabytes, so past maxWholeRecords it goes field by field whatever the count.
// A one-POP query always goes field by field: its caller makes one per POP, and ninety whole
// records per bucket would move megabytes for a handful of numbers.
func (c *Client) planStats(ctx context.Context, q StatsQuery) [][]FieldSpec {
	perField := len(q.Fields) <= maxFieldCalls || q.Datacenter != ""
	if !perField && q.ServiceID == "" && !c.wholeRecordsFit(ctx, q) {
		perField = true
	}
	if !perField || len(q.Fields) < 2 {
		return [][]FieldSpec{q.Fields}
	}
	groups := make([][]FieldSpec, len(q.Fields))
	for i, f := range q.Fields {
		groups[i] = []FieldSpec{f}
	}
	return groups
}

// POPStatsCalls is how many calls Stats makes to Fastly for a one-POP query (Datacenter set)
// when nothing is cached: one per field and range chunk. Callers that ask for many POPs bound
// their cost with it before sending any.
func POPStatsCalls(q StatsQuery) int {
	return len(q.Fields) * len(splitRange(q.From, q.To, chunkSpan(q.By)))
}

// fetchGroups fetches every group of a plan in parallel (the client's call slots bound how
// many reach Fastly at once) and lays the answers side by side per service and bucket.
func (c *Client) fetchGroups(ctx context.Context, q StatsQuery, groups [][]FieldSpec) (*StatsPayload, error) {
	if len(groups) == 1 {
		return c.statsCached(ctx, q)
	}
	parts := make([]*StatsPayload, len(groups))
	err := fanout.Run(ctx, len(groups), len(groups), func(ctx context.Context, i int) error {
		one := q
		one.Fields = groups[i]
		var err error
		parts[i], err = c.statsCached(ctx, one)
		return err
	})
	if err != nil {
		return nil, err
	}
	return joinFields(q.Fields, parts), nil
}
