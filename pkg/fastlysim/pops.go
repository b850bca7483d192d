package fastlysim

import (
	_ "embed"
	"encoding/json"
	"sort"
)

// datacentersJSON is a real GET /datacenters answer (89 POPs, recorded 2021-11-03 by
// go-fastly's fixtures), kept verbatim, so the simulator serves the codes, names and coordinates
// the plugin sees in production. It is the one copy: pkg/fastly's tests read it as their fixture
// too, since go:embed cannot reach their testdata.
//
//go:embed datacenters.json
var datacentersJSON []byte

// POP is one Fastly point of presence as the simulator uses it.
type POP struct {
	Code      string
	Name      string
	Group     string
	Latitude  float64
	Longitude float64
	// Region is the /stats region code whose filter includes this POP.
	Region string
}

// Regions lists the region codes /stats/regions answers, in the API's (alphabetical) order:
// the eleven Fastly's engineers list (docs/fastly-api.md, "Regions and POPs"). The recorded
// POP list has no POP in mexico or saudi_arabia, so their stats are empty here.
var Regions = []string{
	"africa_std", "anzac", "asia", "asia_india", "asia_southkorea",
	"europe", "latam", "mexico", "saudi_arabia", "southamerica_std", "usa",
}

// billingRegions names each stats region's billing region, as /datacenters reports both.
var billingRegions = map[string]string{
	"africa_std": "Africa", "anzac": "Australia", "asia": "Asia", "asia_india": "India",
	"asia_southkorea": "South Korea", "europe": "Europe", "latam": "South America", "mexico": "Mexico",
	"saudi_arabia": "Asia", "southamerica_std": "South America", "usa": "North America",
}

// regionOverride places POPs whose datacenter group is wider than one stats region.
var regionOverride = map[string]string{
	"AKL": "anzac", "BNE": "anzac", "MEL": "anzac", "PER": "anzac", "SYD": "anzac", "WLG": "anzac",
	"MAA": "asia_india", "DEL": "asia_india", "HYD": "asia_india", "CCU": "asia_india", "BOM": "asia_india",
	"ICN": "asia_southkorea",
	"BOG": "latam", "LIM": "latam",
}

var groupRegion = map[string]string{
	"United States": "usa",
	"Europe":        "europe",
	"Asia/Pacific":  "asia",
	"South America": "southamerica_std",
	"Africa":        "africa_std",
}

var allPOPs, popByCode = loadPOPs()

func loadPOPs() ([]POP, map[string]POP) {
	var raw []struct {
		Code        string `json:"code"`
		Name        string `json:"name"`
		Group       string `json:"group"`
		Coordinates struct {
			Latitude  float64 `json:"latitude"`
			Longitude float64 `json:"longitude"`
		} `json:"coordinates"`
	}
	if err := json.Unmarshal(datacentersJSON, &raw); err != nil {
		panic("fastlysim: embedded datacenters.json: " + err.Error())
	}
	pops := make([]POP, 0, len(raw))
	byCode := make(map[string]POP, len(raw))
	for _, r := range raw {
		region := regionOverride[r.Code]
		if region == "" {
			region = groupRegion[r.Group]
		}
		p := POP{Code: r.Code, Name: r.Name, Group: r.Group, Latitude: r.Coordinates.Latitude,
			Longitude: r.Coordinates.Longitude, Region: region}
		pops = append(pops, p)
		byCode[p.Code] = p
	}
	return pops, byCode
}

// POPs returns every POP of the embedded datacenter list, in the API's order.
func POPs() []POP { return append([]POP(nil), allPOPs...) }

// popsOf picks the POPs a service with the given profile is served from: the busiest POPs of
// the chosen groups first, so a service's traffic concentrates where its users are.
func popsOf(groups []string, n int) []string {
	var codes []string
	for _, g := range groups {
		for _, p := range allPOPs {
			if p.Group == g {
				codes = append(codes, p.Code)
			}
		}
	}
	if n > 0 && len(codes) > n {
		// Spread the selection across the groups instead of taking only the first group.
		picked := make([]string, 0, n)
		step := float64(len(codes)) / float64(n)
		for i := 0; i < n; i++ {
			picked = append(picked, codes[int(float64(i)*step)])
		}
		codes = picked
	}
	sort.Strings(codes)
	return codes
}
