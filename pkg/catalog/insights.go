package catalog

import (
	"fmt"
	"strings"

	"github.com/opsdeck/fastly-datasource/pkg/safetext"
)

// Units of Log Insights columns beyond the metric units above.
const (
	UnitPercent = "percent" // 0..100
	// UnitRatio marks a hit, miss or error ratio whose scale Fastly does not document (0..1 or
	// 0..100): the frame builder picks percentunit or percent from the values it receives.
	UnitRatio = "ratio"
)

// InsightColumn is one value Log Insights sends for a row, as a readable column.
type InsightColumn struct {
	Key   string `json:"key"`   // Fastly's key in values[] or dimension_attributes
	Label string `json:"label"` // column name shown in tables and legends
	Unit  string `json:"unit"`  // Grafana unit id, or UnitRatio
}

// InsightRanking is one Log Insights "visualization": a top-N list of one dimension.
type InsightRanking struct {
	Name           string          `json:"name"`
	Label          string          `json:"label"`
	Description    string          `json:"description"`
	Dimension      string          `json:"dimension"` // the dimension key Fastly sends (status_code, url, ...)
	DimensionLabel string          `json:"dimensionLabel"`
	Columns        []InsightColumn `json:"columns"` // in the reference's order
	// Breakdown names what each of a row's values objects is about when they break the row
	// down rather than measure it ("url" for a status code's URLs, "region" for a country's
	// regions): then the row's own numbers are its dimension_attributes only.
	Breakdown string `json:"breakdown,omitempty"`
	// Instead is the ranking to suggest when Fastly fails this one.
	Instead string `json:"-"`
}

// The columns the reference defines (docs/fastly-api.md, "Log Insights"): rate, the
// *_percentage values and country_request_rate are percentages; the hit, miss and error
// ratios have no documented scale.
var (
	colShare    = InsightColumn{"request_percentage", "Share of requests", UnitPercent}
	colRate     = InsightColumn{"rate", "Rate (% of requests)", UnitPercent}
	colHitRatio = InsightColumn{"cache_hit_ratio", "Cache hit ratio", UnitRatio}
)

func urlRanking(name, label, desc string, cols ...InsightColumn) InsightRanking {
	return InsightRanking{Name: name, Label: label, Description: desc, Dimension: "url", DimensionLabel: "URL", Columns: cols,
		Instead: DefaultInsight}
}

func requestsRanking(name, label, dim, dimLabel, desc string) InsightRanking {
	return InsightRanking{Name: name, Label: label, Description: desc, Dimension: dim, DimensionLabel: dimLabel,
		Columns: []InsightColumn{colShare, colRate}, Instead: DefaultInsight}
}

// insightRankings are the rankings the plugin offers, in the editor's order: every
// visualization Fastly's reference lists.
var insightRankings = []InsightRanking{
	{Name: DefaultInsight, Label: "Top URLs by requests", Description: "The URL paths that received the most requests: which pages took the traffic.",
		Dimension: "url", DimensionLabel: "URL", Columns: []InsightColumn{colShare, colRate}, Instead: "response-status-codes"},
	urlRanking("top-url-by-bandwidth", "Top URLs by bandwidth", "The URL paths that sent the most bytes to clients.",
		InsightColumn{"bandwidth_percentage", "Share of bandwidth", UnitPercent}, InsightColumn{"average_bandwidth_bytes", "Average response size", UnitBytes}),
	urlRanking("top-url-by-misses", "Top URLs by cache misses", "The URL paths that missed the cache most often, and so loaded the origin.",
		InsightColumn{"miss_rate", "Miss ratio", UnitRatio}, colRate),
	urlRanking("top-url-by-cache-hit-ratio", "Top URLs by cache hit ratio", "The URL paths best served from cache.", colHitRatio, colShare),
	urlRanking("bottom-url-by-cache-hit-ratio", "Bottom URLs by cache hit ratio", "The URL paths worst served from cache: candidates for better caching rules.", colHitRatio, colShare),
	urlRanking("top-url-by-duration-sum", "Top URLs by response time", "The URL paths that took the most total time to answer.",
		InsightColumn{"average_response_time", "Average response time", UnitSeconds}, InsightColumn{"p95_response_time", "95th percentile response time", UnitSeconds},
		InsightColumn{"response_time_percentage", "Share of response time", UnitPercent}),
	urlRanking("top-4xx-urls", "Top 4xx URLs", "The URL paths answered most often with a client error (4xx).", colShare, colRate),
	urlRanking("top-5xx-urls", "Top 5xx URLs", "The URL paths answered most often with a server error (5xx).", colShare, colRate),
	{Name: "top-503-responses", Label: "Top 503 responses", Description: "The most frequent 503 Service Unavailable responses, by reason (Fastly breaks each down by URL).",
		Dimension: "response", DimensionLabel: "Response", Breakdown: "url", Instead: "top-5xx-urls",
		Columns: []InsightColumn{{"rate", "Rate (% of 503 responses)", UnitPercent}}},
	{Name: "response-status-codes", Label: "Status codes", Description: "Requests by HTTP status code (Fastly returns every code, whatever the limit, and breaks each down by URL).",
		Dimension: "status_code", DimensionLabel: "Status code", Breakdown: "url", Instead: DefaultInsight,
		Columns: []InsightColumn{{"rate", "Share of requests", UnitPercent}}},
	{Name: "country-statistics", Label: "Countries", Description: "Requests, cache hit ratio and errors by client country (Fastly returns every country, whatever the limit, and breaks each down by region).",
		Dimension: "country", DimensionLabel: "Country", Breakdown: "region", Instead: DefaultInsight, Columns: []InsightColumn{
			{"country_request_rate", "Share of requests", UnitPercent}, colRate, {"country_chr", "Cache hit ratio", UnitRatio}, {"country_error_rate", "Error ratio", UnitRatio},
		}},
	requestsRanking("top-browser-by-requests", "Top browsers", "browser", "Browser", "Requests by client browser."),
	requestsRanking("top-device-by-requests", "Top devices", "device", "Device", "Requests by client device type (desktop, mobile, tablet, bot)."),
	requestsRanking("top-os-by-requests", "Top operating systems", "os", "Operating system", "Requests by client operating system."),
	requestsRanking("top-content-type-by-requests", "Top content types", "content_type", "Content type", "Requests by response content type."),
}

// InsightRankings lists every ranking, for the editor's picker.
func InsightRankings() []InsightRanking { return append([]InsightRanking(nil), insightRankings...) }

// DefaultInsight is the ranking a query without one asks: the question the product answers.
const DefaultInsight = "top-url-by-requests"

// insightAliases are names saved queries may hold that Fastly's reference does not list, and
// the ranking each stands for.
var insightAliases = map[string]string{"top-url-by-duration": "top-url-by-duration-sum"}

// FindInsight returns the named ranking (a former name finds its ranking), or an error that
// lists the valid names.
func FindInsight(name string) (InsightRanking, error) {
	if alias, ok := insightAliases[name]; ok {
		name = alias
	}
	names := make([]string, len(insightRankings))
	for i, r := range insightRankings {
		if r.Name == name {
			return r, nil
		}
		names[i] = r.Name
	}
	return InsightRanking{}, fmt.Errorf("unknown Log Insights ranking %q: use one of %s", safetext.Clip(name, maxQuotedName), strings.Join(names, ", "))
}
