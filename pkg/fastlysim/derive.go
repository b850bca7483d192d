package fastlysim

import "sort"

// Published historical fields, derived from a base vector. The key set is exactly that of a
// real /stats record (fixtures/historical_stats_aggregate_by_minute.json) plus start_time
// and, where the endpoint carries it, service_id.

type outKind int

const (
	kInt   outKind = iota
	kSec           // *_time: ticks -> float seconds
	kMs            // compute_*_ms: 2^-10 ms units -> float ms
	kRatio         // hit_ratio: computed from hits and miss, null without them
)

// drv is a base vector with its per-group and per-status request counts at hand. compute
// says whose traffic it is: a Compute service's requests, statuses and bytes go to Fastly's
// compute_* fields, a VCL service's to the plain ones (docs/fastly-api.md, "Compute services").
type drv struct {
	v       vec
	compute bool
	g       [nGroups]int64
	status  map[int]int64
	class   [6]int64
}

func newDrv(v vec, compute bool) *drv {
	d := &drv{v: v, compute: compute, g: v.groupSums(), status: make(map[int]int64, 20)}
	for i, c := range cells {
		d.status[c.status] += v[i]
		d.class[c.status/100] += v[i]
	}
	return d
}

func (d *drv) x(slot int) int64 { return d.v[nCells+slot] }

func (d *drv) respHdr() int64 {
	return d.x(vHdrHit) + d.x(vHdrMiss) + d.x(vHdrPass) + d.x(vHdrErr) + d.x(vHdrSynth)
}

func (d *drv) respBody() int64 {
	return d.x(vBodyHit) + d.x(vBodyMiss) + d.x(vBodyPass) + d.x(vBodyErr) + d.x(vBodySynth)
}

type outField struct {
	name string
	kind outKind
	f    func(d *drv) int64
	src  source
}

// source is whose traffic a field counts, as Fastly's engineers' notes describe the live API.
type source int

const (
	anySource   source = iota // both kinds of service
	vclOnly                   // VCL delivery: 0 on a Compute service's records, left out there unless in classKeys
	computeOnly               // Compute: left out of a VCL service's records
	everySrc                  // all_*: every source, left out of a record when 0
)

// count is f's value for d, 0 when d's service is not a source f counts.
func (f outField) count(d *drv) int64 {
	if f.f == nil || (f.src == vclOnly && d.compute) || (f.src == computeOnly && !d.compute) {
		return 0 // hit_ratio has no count of its own: record.value computes it
	}
	return f.f(d)
}

// present says whether a record of d carries f, given its value x.
func (f outField) present(d *drv, x int64) bool {
	switch {
	case f.src == computeOnly:
		return d.compute
	case f.src == everySrc:
		return x != 0
	case f.src == vclOnly && d.compute:
		return x != 0 || classKeys[f.name] // every row has requests and the classes
	}
	return x != 0 || !omitWhenZero[f.name]
}

// classKeys are in every record of either kind of service, 0 where the kind cannot produce
// them.
var classKeys = map[string]bool{
	"requests": true, "status_1xx": true, "status_2xx": true, "status_3xx": true, "status_4xx": true, "status_5xx": true,
}

// sharedFields count a Compute service's traffic as well as a VCL service's; every other
// field of the recorded VCL record is VCL delivery's only.
var sharedFields = map[string]bool{
	"bandwidth": true, "compute_execution_time_ms": true, "compute_ram_used": true, "compute_request_time_ms": true,
	"compute_requests": true, "http2": true, "ipv6": true, "log": true, "log_bytes": true, "req_body_bytes": true,
	"req_header_bytes": true, "tls": true, "tls_handshake_sent_bytes": true, "tls_v10": true, "tls_v11": true,
	"tls_v12": true, "tls_v13": true, "object_size_1k": true, "object_size_10k": true, "object_size_100k": true,
	"object_size_1m": true, "object_size_10m": true, "object_size_100m": true, "object_size_1g": true,
}

func slotF(slot int) func(*drv) int64 { return func(d *drv) int64 { return d.x(slot) } }
func grpF(g int) func(*drv) int64     { return func(d *drv) int64 { return d.g[g] } }
func statusF(code int) func(*drv) int64 {
	return func(d *drv) int64 { return d.status[code] }
}
func classF(c int) func(*drv) int64 { return func(d *drv) int64 { return d.class[c] } }
func diffF(a, b int) func(*drv) int64 {
	return func(d *drv) int64 { return d.x(a) - d.x(b) }
}

var histFields = func() []outField {
	f := []outField{
		{"attack_blocked_req_body_bytes", kInt, slotF(vAttackBody), anySource},
		{"attack_blocked_req_header_bytes", kInt, slotF(vAttackHdr), anySource},
		{"attack_logged_req_body_bytes", kInt, slotF(vWafLoggedBody), anySource},
		{"attack_logged_req_header_bytes", kInt, slotF(vWafLoggedHdr), anySource},
		{"attack_passed_req_body_bytes", kInt, slotF(vWafPassedBody), anySource},
		{"attack_passed_req_header_bytes", kInt, slotF(vWafPassedHdr), anySource},
		{"attack_req_body_bytes", kInt, func(d *drv) int64 { return d.x(vAttackBody) + d.x(vWafLoggedBody) + d.x(vWafPassedBody) }, anySource},
		{"attack_req_header_bytes", kInt, func(d *drv) int64 { return d.x(vAttackHdr) + d.x(vWafLoggedHdr) + d.x(vWafPassedHdr) }, anySource},
		{"attack_resp_synth_bytes", kInt, slotF(vAttackSynthBytes), anySource},
		// Fastly's definition: everything delivered to clients plus everything sent to backends.
		{"bandwidth", kInt, func(d *drv) int64 { return d.respHdr() + d.respBody() + d.x(vBereqHdr) + d.x(vReqBody) }, anySource},
		{"bereq_body_bytes", kInt, slotF(vReqBody), anySource},
		{"bereq_header_bytes", kInt, slotF(vBereqHdr), anySource},
		{"blacklist", kInt, slotF(vBlacklist), anySource},
		{"body_size", kInt, (*drv).respBody, anySource},
		{"compute_execution_time_ms", kMs, slotF(vComputeExec), anySource},
		{"compute_ram_used", kInt, slotF(vComputeRAM), anySource},
		{"compute_request_time_ms", kMs, slotF(vComputeReqTime), anySource},
		{"compute_requests", kInt, func(d *drv) int64 {
			if d.compute {
				return d.g[gAll]
			}
			return 0
		}, anySource},
		{"edge_hit_requests", kInt, grpF(gHit), anySource},
		{"edge_hit_resp_body_bytes", kInt, slotF(vBodyHit), anySource},
		{"edge_hit_resp_header_bytes", kInt, slotF(vHdrHit), anySource},
		{"edge_miss_requests", kInt, grpF(gMiss), anySource},
		{"edge_miss_resp_body_bytes", kInt, slotF(vBodyMiss), anySource},
		{"edge_miss_resp_header_bytes", kInt, slotF(vHdrMiss), anySource},
		{"edge_requests", kInt, grpF(gAll), anySource},
		{"edge_resp_body_bytes", kInt, (*drv).respBody, anySource},
		{"edge_resp_header_bytes", kInt, (*drv).respHdr, anySource},
		{"errors", kInt, grpF(gErr), anySource},
		{"header_size", kInt, (*drv).respHdr, anySource},
		{"hit_ratio", kRatio, nil, anySource},
		{"hit_resp_body_bytes", kInt, slotF(vBodyHit), anySource},
		{"hits", kInt, grpF(gHit), anySource},
		{"hits_time", kSec, slotF(vHitsTime), anySource},
		{"http2", kInt, slotF(vHTTP2), anySource},
		{"imgopto", kInt, slotF(vImgopto), anySource},
		{"imgopto_resp_body_bytes", kInt, slotF(vImgBody), anySource},
		{"imgopto_resp_header_bytes", kInt, slotF(vImgHdr), anySource},
		{"imgopto_shield_resp_body_bytes", kInt, slotF(vImgShieldBody), anySource},
		{"imgopto_shield_resp_header_bytes", kInt, slotF(vImgShieldHdr), anySource},
		{"ipv6", kInt, slotF(vIPv6), anySource},
		{"log", kInt, slotF(vLog), anySource},
		{"log_bytes", kInt, slotF(vLogBytes), anySource},
		{"miss", kInt, grpF(gMiss), anySource},
		{"miss_resp_body_bytes", kInt, slotF(vBodyMiss), anySource},
		{"miss_time", kSec, slotF(vMissTime), anySource},
		{"object_size_1k", kInt, func(d *drv) int64 { return d.g[gAll] - d.x(vGe1k) }, anySource},
		{"object_size_10k", kInt, diffF(vGe1k, vGe10k), anySource},
		{"object_size_100k", kInt, diffF(vGe10k, vGe100k), anySource},
		{"object_size_1m", kInt, diffF(vGe100k, vGe1m), anySource},
		{"object_size_10m", kInt, diffF(vGe1m, vGe10m), anySource},
		{"object_size_100m", kInt, diffF(vGe10m, vGe100m), anySource},
		{"object_size_1g", kInt, diffF(vGe100m, vGe1g), anySource},
		// Legacy aliases; the real API reports orig_resp_* equal to the client request bytes.
		{"orig_req_body_size", kInt, slotF(vReqBody), anySource},
		{"orig_req_header_size", kInt, slotF(vBereqHdr), anySource},
		{"orig_resp_body_size", kInt, slotF(vReqBody), anySource},
		{"orig_resp_header_size", kInt, slotF(vReqHdr), anySource},
		{"origin_cache_fetch_resp_body_bytes", kInt, slotF(vOfrBodyMiss), anySource},
		{"origin_cache_fetch_resp_header_bytes", kInt, slotF(vOfrHdrMiss), anySource},
		{"origin_cache_fetches", kInt, grpF(gMiss), anySource},
		{"origin_fetch_body_bytes", kInt, slotF(vReqBody), anySource},
		{"origin_fetch_header_bytes", kInt, slotF(vBereqHdr), anySource},
		{"origin_fetch_resp_body_bytes", kInt, func(d *drv) int64 { return d.x(vOfrBodyMiss) + d.x(vOfrBodyPass) }, anySource},
		{"origin_fetch_resp_header_bytes", kInt, func(d *drv) int64 { return d.x(vOfrHdrMiss) + d.x(vOfrHdrPass) }, anySource},
		{"origin_fetches", kInt, grpF(gFetch), anySource},
		{"origin_revalidations", kInt, slotF(vRevalidations), anySource},
		{"otfp", kInt, slotF(vOtfp), anySource},
		{"otfp_deliver_time", kSec, slotF(vOtfpDeliverT), anySource},
		{"otfp_manifests", kInt, slotF(vOtfpManifests), anySource},
		{"otfp_resp_body_bytes", kInt, slotF(vOtfpBody), anySource},
		{"otfp_resp_header_bytes", kInt, slotF(vOtfpHdr), anySource},
		{"otfp_shield_resp_body_bytes", kInt, slotF(vOtfpShieldBody), anySource},
		{"otfp_shield_resp_header_bytes", kInt, slotF(vOtfpShieldHdr), anySource},
		{"otfp_shield_time", kSec, slotF(vOtfpShieldT), anySource},
		{"pass", kInt, grpF(gPass), anySource},
		{"pass_resp_body_bytes", kInt, slotF(vBodyPass), anySource},
		{"pass_time", kSec, slotF(vPassTime), anySource},
		{"pci", kInt, slotF(vPCI), anySource},
		{"pipe", kInt, slotF(vPipe), anySource},
		{"req_body_bytes", kInt, slotF(vReqBody), anySource},
		{"req_header_bytes", kInt, slotF(vReqHdr), anySource},
		{"requests", kInt, grpF(gAll), anySource},
		{"resp_body_bytes", kInt, (*drv).respBody, anySource},
		{"resp_header_bytes", kInt, (*drv).respHdr, anySource},
		{"restarts", kInt, slotF(vRestarts), anySource},
		{"segblock_origin_fetches", kInt, slotF(vSegOrigin), anySource},
		{"segblock_shield_fetches", kInt, slotF(vSegShield), anySource},
		{"shield", kInt, slotF(vShield), anySource},
		{"shield_fetch_body_bytes", kInt, slotF(vShieldFetchBody), anySource},
		{"shield_fetch_header_bytes", kInt, slotF(vShieldFetchHdr), anySource},
		{"shield_fetch_resp_body_bytes", kInt, slotF(vShieldFetchRespBody), anySource},
		{"shield_fetch_resp_header_bytes", kInt, slotF(vShieldFetchRespHdr), anySource},
		{"shield_fetches", kInt, slotF(vShieldFetches), anySource},
		{"shield_resp_body_bytes", kInt, slotF(vShieldRespBody), anySource},
		{"shield_resp_header_bytes", kInt, slotF(vShieldRespHdr), anySource},
		{"shield_revalidations", kInt, slotF(vShieldReval), anySource},
		{"synth", kInt, grpF(gSynth), anySource},
		{"tls", kInt, slotF(vTLS), anySource},
		{"tls_handshake_sent_bytes", kInt, slotF(vTLSHandshake), anySource},
		{"tls_v10", kInt, slotF(vTLS10), anySource},
		{"tls_v11", kInt, diffF(vTLSLe11, vTLS10), anySource},
		{"tls_v12", kInt, diffF(vTLSNot13, vTLSLe11), anySource},
		{"tls_v13", kInt, diffF(vTLS, vTLSNot13), anySource},
		{"uncacheable", kInt, slotF(vUncacheable), anySource},
		{"video", kInt, slotF(vVideo), anySource},
		{"waf_blocked", kInt, slotF(vAttack), anySource},
		{"waf_logged", kInt, slotF(vWafLogged), anySource},
		{"waf_passed", kInt, slotF(vWafPassed), anySource},
	}
	for _, sc := range []struct {
		name    string
		n, t    int
		realSub bool
	}{
		{"deliver", vDeliverN, vDeliverT, true}, {"error", vErrorN, vErrorT, true}, {"fetch", vFetchN, vFetchT, true},
		{"hash", vHashN, vHashT, true}, {"hit", vHitN, vHitT, true}, {"miss", vMissN, vMissT, true},
		{"pass", vPassN, vPassT, true}, {"pipe", vPipeN, vPipeT, true}, {"predeliver", vPredeliverN, vPredeliverT, true},
		{"prehash", vPrehashN, vPrehashT, true}, {"recv", vRecvN, vRecvT, true},
	} {
		f = append(f, outField{name: sc.name + "_sub_count", kind: kInt, f: slotF(sc.n)}, outField{name: sc.name + "_sub_time", kind: kSec, f: slotF(sc.t)})
	}
	for _, c := range []int{1, 2, 3, 4, 5} {
		f = append(f, outField{name: "status_" + string(rune('0'+c)) + "xx", kind: kInt, f: classF(c)})
	}
	for _, code := range []int{200, 204, 206, 301, 302, 304, 400, 401, 403, 404, 416, 429, 500, 501, 502, 503, 504, 505} {
		f = append(f, outField{name: "status_" + itoa(code), kind: kInt, f: statusF(code)})
	}
	for i := range f {
		if !sharedFields[f[i].name] {
			f[i].src = vclOnly
		}
	}
	f = append(f, computeFields()...)
	f = append(f, everySourceFields()...)
	sort.Slice(f, func(i, j int) bool { return f[i].name < f[j].name })
	return f
}()

// computeFields are what a Compute service's records carry instead of the VCL fields: its
// statuses and bytes.
func computeFields() []outField {
	f := []outField{
		{"compute_resp_header_bytes", kInt, (*drv).respHdr, computeOnly},
		{"compute_resp_body_bytes", kInt, (*drv).respBody, computeOnly},
		{"compute_bereq_header_bytes", kInt, slotF(vBereqHdr), computeOnly},
		{"compute_bereq_body_bytes", kInt, slotF(vReqBody), computeOnly},
		{"compute_bereqs", kInt, grpF(gFetch), computeOnly},
	}
	for _, c := range []int{1, 2, 3, 4, 5} {
		f = append(f, outField{"compute_resp_status_" + string(rune('0'+c)) + "xx", kInt, classF(c), computeOnly})
	}
	for _, code := range []int{200, 204, 206, 301, 302, 304, 400, 401, 403, 404, 416, 429, 500, 501, 502, 503, 504, 505} {
		f = append(f, outField{"compute_resp_status_" + itoa(code), kInt, statusF(code), computeOnly})
	}
	return f
}

// everySourceFields are Fastly's all_* fields: status classes of every service, cache
// outcomes of VCL delivery (a Compute service has none), left out of a record when 0.
func everySourceFields() []outField {
	vcl := func(g int) func(d *drv) int64 {
		return func(d *drv) int64 {
			if d.compute {
				return 0
			}
			return d.g[g]
		}
	}
	f := []outField{
		{"all_hit_requests", kInt, vcl(gHit), everySrc},
		{"all_miss_requests", kInt, vcl(gMiss), everySrc},
		{"all_pass_requests", kInt, vcl(gPass), everySrc},
		{"all_error_requests", kInt, vcl(gErr), everySrc},
		{"all_synth_requests", kInt, vcl(gSynth), everySrc},
		{"all_edge_hit_requests", kInt, vcl(gHit), everySrc},
		{"all_edge_miss_requests", kInt, vcl(gMiss), everySrc},
	}
	for _, c := range []int{1, 2, 3, 4, 5} {
		f = append(f, outField{"all_status_" + string(rune('0'+c)) + "xx", kInt, classF(c), everySrc})
	}
	return f
}

// omitWhenZero lists the fields left out of a record when they are 0, as the real API does
// for some keys; a decoder must read a missing key as 0. The busy shop service has all of
// them non-zero at hourly resolution.
var omitWhenZero = map[string]bool{
	"status_416": true, "status_501": true, "status_505": true, "restarts": true,
	"segblock_origin_fetches": true, "segblock_shield_fetches": true, "tls_v10": true,
	"blacklist": true, "otfp_manifests": true,
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// HistoricalFields returns the names of every metric a /stats record can carry, sorted.
func HistoricalFields() []string {
	names := make([]string, len(histFields))
	for i, f := range histFields {
		names[i] = f.name
	}
	return names
}

var histFieldByName = func() map[string]int {
	m := make(map[string]int, len(histFields))
	for i, f := range histFields {
		m[f.name] = i
	}
	return m
}()
