package plugin

import (
	"context"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/frames"
	"github.com/opsdeck/fastly-datasource/pkg/models"
)

// withPOPMap reshapes a query's per-POP series into the POP map table (one row per POP with its
// name and coordinates from /datacenters) when the query asks for format "popmap"; any other
// answer passes through. The POP list is cached by the client, so a map refreshed every second
// costs no extra call to Fastly.
func (ds *Datasource) withPOPMap(ctx context.Context, q models.Query, resp backend.DataResponse) backend.DataResponse {
	if resp.Error != nil || q.Format != models.FormatPOPMap {
		return resp
	}
	pops, err := ds.client.POPs(ctx)
	if err != nil {
		return ds.errorResponse(err)
	}
	return backend.DataResponse{Frames: data.Frames{frames.POPMap(resp.Frames, pops)}}
}
