package fastly

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/opsdeck/fastly-datasource/pkg/fanout"
)

// The API's other dimensions.
const (
	DimDatacenter = "datacenter"
	DimRegion     = "region"
)

// Limits the inspector API sets or the plugin keeps to.
const (
	maxInspectorMetrics = 10  // metric= takes at most 10 names per call
	inspectorPageLimit  = 200 // limit= at most 200 series per page
	maxInspectorPages   = 200 // a cursor chain longer than this is a loop or an absurd ask
	inspectorParallel   = 4   // metric groups fetched at once
)

// InspectorQuery asks one service's historical inspector metrics.
type InspectorQuery struct {
	Product     Product // ProductOriginInspector or ProductDomainInspector
	ServiceID   string
	Metrics     []string // raw API metric names; split into calls of at most 10
	Start, End  time.Time
	Downsample  string   // minute, hour or day
	GroupBy     []string // API dimensions: Product.Dimension(), DimDatacenter, DimRegion
	Datacenters []string // POP codes
	Regions     []string
	Names       []string // origin hosts or domains, per Product
}

// InspectorSeries is one combination of dimensions with its sparse buckets: Buckets maps a
// bucket's Unix start to the metrics Fastly sent for it. A metric absent from a bucket was not
// sent (no traffic); callers decide whether that reads as 0 or null.
type InspectorSeries struct {
	Dimensions map[string]string
	Buckets    map[int64]map[string]float64
}

// InspectorResult is everything one service's query returned, series in a stable order.
type InspectorResult struct {
	ServiceID string
	Series    []InspectorSeries
}

// inspectorPage is the API's answer. Values are decoded as float64: inspector counts are per
// origin or domain and per bucket, far below 2^53, and ratios are fractions.
type inspectorPage struct {
	Data []struct {
		Dimensions map[string]any        `json:"dimensions"`
		Values     []map[string]*float64 `json:"values"`
	} `json:"data"`
	Meta struct {
		NextCursor string `json:"next_cursor"`
	} `json:"meta"`
	Status string `json:"status"`
	Msg    string `json:"msg"`
}

// Inspector fetches a service's Origin or Domain Inspector metrics: at most 10 metrics per
// call, so larger asks become several calls made in parallel, each following next_cursor
// through every page; long minute ranges are cut into day-long calls like the stats (Fastly
// refuses "exceedingly large" minute queries); the answers are joined per series and bucket.
func (c *Client) Inspector(ctx context.Context, q InspectorQuery) (*InspectorResult, error) {
	if q.Product != ProductOriginInspector && q.Product != ProductDomainInspector {
		return nil, fmt.Errorf("unknown inspector product %q", q.Product)
	}
	if !ValidID(q.ServiceID) {
		return nil, fmt.Errorf("%q is not a Fastly service id", q.ServiceID)
	}
	if len(q.Metrics) == 0 {
		return nil, fmt.Errorf("no inspector metric asked for")
	}
	type call struct {
		metrics    []string
		start, end time.Time
	}
	var calls []call
	for _, ch := range splitRange(q.Start, q.End, chunkSpan(q.Downsample)) {
		for _, metrics := range splitMetrics(q.Metrics, maxInspectorMetrics) {
			calls = append(calls, call{metrics, ch[0], ch[1]})
		}
	}
	pages := make([][]inspectorPage, len(calls))
	err := fanout.Run(ctx, len(calls), inspectorParallel, func(ctx context.Context, i int) error {
		part := q
		part.Start, part.End = calls[i].start, calls[i].end
		var err error
		pages[i], err = c.inspectorChain(ctx, part, calls[i].metrics)
		return err
	})
	if err != nil {
		return nil, err
	}
	return joinInspector(q.ServiceID, pages), nil
}

// splitMetrics cuts names into groups of at most n, keeping order.
func splitMetrics(names []string, n int) [][]string {
	var out [][]string
	for len(names) > n {
		out = append(out, names[:n:n])
		names = names[n:]
	}
	return append(out, names)
}

// inspectorPath is the endpoint of one product and service.
func inspectorPath(p Product, serviceID string) string {
	return "/metrics/" + p.inspectorSegment() + "/services/" + url.PathEscape(serviceID)
}

// inspectorParams are the query parameters of one call, without the cursor.
func inspectorParams(q InspectorQuery, metrics []string) url.Values {
	v := url.Values{}
	v.Set("start", strconv.FormatInt(q.Start.Unix(), 10))
	v.Set("end", strconv.FormatInt(q.End.Unix(), 10))
	v.Set("downsample", q.Downsample)
	v.Set("metric", strings.Join(metrics, ","))
	v.Set("limit", strconv.Itoa(inspectorPageLimit))
	if len(q.GroupBy) > 0 {
		v.Set("group_by", strings.Join(q.GroupBy, ","))
	}
	if len(q.Datacenters) > 0 {
		v.Set("datacenter", strings.Join(q.Datacenters, ","))
	}
	if len(q.Regions) > 0 {
		v.Set("region", strings.Join(q.Regions, ","))
	}
	if len(q.Names) > 0 {
		v.Set(q.Product.Dimension(), strings.Join(q.Names, ","))
	}
	return v
}

// inspectorChain fetches every page of one call by following meta.next_cursor.
func (c *Client) inspectorChain(ctx context.Context, q InspectorQuery, metrics []string) ([]inspectorPage, error) {
	path := inspectorPath(q.Product, q.ServiceID)
	params := inspectorParams(q, metrics)
	var out []inspectorPage
	seen := map[string]bool{}
	for n := 0; ; n++ {
		if n == maxInspectorPages {
			return nil, &APIError{Path: path, Message: fmt.Sprintf("the answer did not end after %d pages: narrow the query (fewer origins, POPs or a shorter range)", maxInspectorPages)}
		}
		body, err := c.getAPI(ctx, path, params)
		if err != nil {
			return nil, err
		}
		var page inspectorPage
		if err := json.Unmarshal(body, &page); err != nil {
			return nil, &DecodeError{Path: path, Err: err}
		}
		if page.Status != "" && page.Status != "success" {
			return nil, &APIError{Path: path, Message: strings.TrimSpace(page.Status + " " + page.Msg)}
		}
		out = append(out, page)
		next := page.Meta.NextCursor
		if next == "" {
			return out, nil
		}
		if seen[next] {
			return nil, &DecodeError{Path: path, Err: errors.New("its next_cursor repeats: Fastly's pagination looped")}
		}
		seen[next] = true
		params.Set("cursor", next)
	}
}

// joinInspector merges the pages of every metric group into one list of series, keyed by
// their dimensions, with buckets merged by timestamp.
func joinInspector(serviceID string, groups [][]inspectorPage) *InspectorResult {
	byKey := map[string]*InspectorSeries{}
	for _, pages := range groups {
		for _, page := range pages {
			for _, d := range page.Data {
				dims := dimensionStrings(d.Dimensions)
				key := dimensionKey(dims)
				s, ok := byKey[key]
				if !ok {
					s = &InspectorSeries{Dimensions: dims, Buckets: map[int64]map[string]float64{}}
					byKey[key] = s
				}
				for _, v := range d.Values {
					ts, ok := v["timestamp"]
					if !ok || ts == nil || math.IsNaN(*ts) || math.IsInf(*ts, 0) {
						continue
					}
					t := int64(*ts)
					b := s.Buckets[t]
					if b == nil {
						b = map[string]float64{}
						s.Buckets[t] = b
					}
					for name, val := range v {
						if name != "timestamp" && val != nil {
							b[name] = *val
						}
					}
				}
			}
		}
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := &InspectorResult{ServiceID: serviceID, Series: make([]InspectorSeries, 0, len(keys))}
	for _, k := range keys {
		out.Series = append(out.Series, *byKey[k])
	}
	return out
}

// dimensionStrings keeps dimension values as text whatever JSON type they came as.
func dimensionStrings(in map[string]any) map[string]string {
	out := make(map[string]string, len(in))
	for k, v := range in {
		switch x := v.(type) {
		case nil:
			out[k] = ""
		case string:
			out[k] = x
		default:
			b, _ := json.Marshal(x) // values from json.Unmarshal always re-encode
			out[k] = string(b)
		}
	}
	return out
}

// dimensionKey is a stable identity for a set of dimensions.
func dimensionKey(dims map[string]string) string {
	keys := make([]string, 0, len(dims))
	for k := range dims {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(dims[k])
		b.WriteByte(0)
	}
	return b.String()
}

// InspectorNames lists the origin hosts (or domains) of a service that had traffic in
// [start, end): one hour-downsampled call grouped by the product's dimension, for pickers.
func (c *Client) InspectorNames(ctx context.Context, p Product, serviceID string, start, end time.Time) ([]string, error) {
	metric := "responses"
	if p == ProductDomainInspector {
		metric = "edge_requests"
	}
	res, err := c.Inspector(ctx, InspectorQuery{
		Product: p, ServiceID: serviceID, Metrics: []string{metric},
		Start: start, End: end, Downsample: "hour", GroupBy: []string{p.Dimension()},
	})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	out := []string{}
	for _, s := range res.Series {
		if n := s.Dimensions[p.Dimension()]; n != "" && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out, nil
}
