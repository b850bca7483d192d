package plugin

import (
	"maps"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/frames"
	"github.com/opsdeck/fastly-datasource/pkg/models"
)

// keepTop narrows a stats answer to the query's top services, ranked by the raw fields of its
// first metric (requests by requests, hit_ratio by hits and misses: the traffic the ratio is
// of), with the rest summed as "other"; the result is always one series per service.
func keepTop(q models.Query, specs []fastly.FieldSpec, p *fastly.StatsPayload, names map[string]string) (*fastly.StatsPayload, map[string]string) {
	var rank []int
	for _, f := range catalog.Fields(q.Metrics[:1], catalog.KindHistorical) {
		for i, s := range specs {
			if s.Name == f {
				rank = append(rank, i)
			}
		}
	}
	withOther := maps.Clone(names)
	if withOther == nil {
		withOther = map[string]string{}
	}
	withOther[models.OtherServices] = models.OtherServices
	return frames.TopServices(p, specs, rank, q.Top, models.OtherServices), withOther
}
