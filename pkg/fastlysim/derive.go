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

// drv is a base vector with its per-group and per-status request counts at hand.
type drv struct {
	v      vec
	g      [nGroups]int64
	status map[int]int64
	class  [6]int64
}

func newDrv(v vec) *drv {
	d := &drv{v: v, g: v.groupSums(), status: make(map[int]int64, 20)}
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
		{"attack_blocked_req_body_bytes", kInt, slotF(vAttackBody)},
		{"attack_blocked_req_header_bytes", kInt, slotF(vAttackHdr)},
		{"attack_logged_req_body_bytes", kInt, slotF(vWafLoggedBody)},
		{"attack_logged_req_header_bytes", kInt, slotF(vWafLoggedHdr)},
		{"attack_passed_req_body_bytes", kInt, slotF(vWafPassedBody)},
		{"attack_passed_req_header_bytes", kInt, slotF(vWafPassedHdr)},
		{"attack_req_body_bytes", kInt, func(d *drv) int64 { return d.x(vAttackBody) + d.x(vWafLoggedBody) + d.x(vWafPassedBody) }},
		{"attack_req_header_bytes", kInt, func(d *drv) int64 { return d.x(vAttackHdr) + d.x(vWafLoggedHdr) + d.x(vWafPassedHdr) }},
		{"attack_resp_synth_bytes", kInt, slotF(vAttackSynthBytes)},
		// Fastly's definition: everything delivered to clients plus everything sent to backends.
		{"bandwidth", kInt, func(d *drv) int64 { return d.respHdr() + d.respBody() + d.x(vBereqHdr) + d.x(vReqBody) }},
		{"bereq_body_bytes", kInt, slotF(vReqBody)},
		{"bereq_header_bytes", kInt, slotF(vBereqHdr)},
		{"blacklist", kInt, slotF(vBlacklist)},
		{"body_size", kInt, (*drv).respBody},
		{"compute_execution_time_ms", kMs, slotF(vComputeExec)},
		{"compute_ram_used", kInt, slotF(vComputeRAM)},
		{"compute_request_time_ms", kMs, slotF(vComputeReqTime)},
		{"compute_requests", kInt, slotF(vComputeReq)},
		{"edge_hit_requests", kInt, grpF(gHit)},
		{"edge_hit_resp_body_bytes", kInt, slotF(vBodyHit)},
		{"edge_hit_resp_header_bytes", kInt, slotF(vHdrHit)},
		{"edge_miss_requests", kInt, grpF(gMiss)},
		{"edge_miss_resp_body_bytes", kInt, slotF(vBodyMiss)},
		{"edge_miss_resp_header_bytes", kInt, slotF(vHdrMiss)},
		{"edge_requests", kInt, grpF(gAll)},
		{"edge_resp_body_bytes", kInt, (*drv).respBody},
		{"edge_resp_header_bytes", kInt, (*drv).respHdr},
		{"errors", kInt, grpF(gErr)},
		{"header_size", kInt, (*drv).respHdr},
		{"hit_ratio", kRatio, nil},
		{"hit_resp_body_bytes", kInt, slotF(vBodyHit)},
		{"hits", kInt, grpF(gHit)},
		{"hits_time", kSec, slotF(vHitsTime)},
		{"http2", kInt, slotF(vHTTP2)},
		{"imgopto", kInt, slotF(vImgopto)},
		{"imgopto_resp_body_bytes", kInt, slotF(vImgBody)},
		{"imgopto_resp_header_bytes", kInt, slotF(vImgHdr)},
		{"imgopto_shield_resp_body_bytes", kInt, slotF(vImgShieldBody)},
		{"imgopto_shield_resp_header_bytes", kInt, slotF(vImgShieldHdr)},
		{"ipv6", kInt, slotF(vIPv6)},
		{"log", kInt, slotF(vLog)},
		{"log_bytes", kInt, slotF(vLogBytes)},
		{"miss", kInt, grpF(gMiss)},
		{"miss_resp_body_bytes", kInt, slotF(vBodyMiss)},
		{"miss_time", kSec, slotF(vMissTime)},
		{"object_size_1k", kInt, func(d *drv) int64 { return d.g[gAll] - d.x(vGe1k) }},
		{"object_size_10k", kInt, diffF(vGe1k, vGe10k)},
		{"object_size_100k", kInt, diffF(vGe10k, vGe100k)},
		{"object_size_1m", kInt, diffF(vGe100k, vGe1m)},
		{"object_size_10m", kInt, diffF(vGe1m, vGe10m)},
		{"object_size_100m", kInt, diffF(vGe10m, vGe100m)},
		{"object_size_1g", kInt, diffF(vGe100m, vGe1g)},
		// Legacy aliases; the real API reports orig_resp_* equal to the client request bytes.
		{"orig_req_body_size", kInt, slotF(vReqBody)},
		{"orig_req_header_size", kInt, slotF(vBereqHdr)},
		{"orig_resp_body_size", kInt, slotF(vReqBody)},
		{"orig_resp_header_size", kInt, slotF(vReqHdr)},
		{"origin_cache_fetch_resp_body_bytes", kInt, slotF(vOfrBodyMiss)},
		{"origin_cache_fetch_resp_header_bytes", kInt, slotF(vOfrHdrMiss)},
		{"origin_cache_fetches", kInt, grpF(gMiss)},
		{"origin_fetch_body_bytes", kInt, slotF(vReqBody)},
		{"origin_fetch_header_bytes", kInt, slotF(vBereqHdr)},
		{"origin_fetch_resp_body_bytes", kInt, func(d *drv) int64 { return d.x(vOfrBodyMiss) + d.x(vOfrBodyPass) }},
		{"origin_fetch_resp_header_bytes", kInt, func(d *drv) int64 { return d.x(vOfrHdrMiss) + d.x(vOfrHdrPass) }},
		{"origin_fetches", kInt, grpF(gFetch)},
		{"origin_revalidations", kInt, slotF(vRevalidations)},
		{"otfp", kInt, slotF(vOtfp)},
		{"otfp_deliver_time", kSec, slotF(vOtfpDeliverT)},
		{"otfp_manifests", kInt, slotF(vOtfpManifests)},
		{"otfp_resp_body_bytes", kInt, slotF(vOtfpBody)},
		{"otfp_resp_header_bytes", kInt, slotF(vOtfpHdr)},
		{"otfp_shield_resp_body_bytes", kInt, slotF(vOtfpShieldBody)},
		{"otfp_shield_resp_header_bytes", kInt, slotF(vOtfpShieldHdr)},
		{"otfp_shield_time", kSec, slotF(vOtfpShieldT)},
		{"pass", kInt, grpF(gPass)},
		{"pass_resp_body_bytes", kInt, slotF(vBodyPass)},
		{"pass_time", kSec, slotF(vPassTime)},
		{"pci", kInt, slotF(vPCI)},
		{"pipe", kInt, slotF(vPipe)},
		{"req_body_bytes", kInt, slotF(vReqBody)},
		{"req_header_bytes", kInt, slotF(vReqHdr)},
		{"requests", kInt, grpF(gAll)},
		{"resp_body_bytes", kInt, (*drv).respBody},
		{"resp_header_bytes", kInt, (*drv).respHdr},
		{"restarts", kInt, slotF(vRestarts)},
		{"segblock_origin_fetches", kInt, slotF(vSegOrigin)},
		{"segblock_shield_fetches", kInt, slotF(vSegShield)},
		{"shield", kInt, slotF(vShield)},
		{"shield_fetch_body_bytes", kInt, slotF(vShieldFetchBody)},
		{"shield_fetch_header_bytes", kInt, slotF(vShieldFetchHdr)},
		{"shield_fetch_resp_body_bytes", kInt, slotF(vShieldFetchRespBody)},
		{"shield_fetch_resp_header_bytes", kInt, slotF(vShieldFetchRespHdr)},
		{"shield_fetches", kInt, slotF(vShieldFetches)},
		{"shield_resp_body_bytes", kInt, slotF(vShieldRespBody)},
		{"shield_resp_header_bytes", kInt, slotF(vShieldRespHdr)},
		{"shield_revalidations", kInt, slotF(vShieldReval)},
		{"synth", kInt, grpF(gSynth)},
		{"tls", kInt, slotF(vTLS)},
		{"tls_handshake_sent_bytes", kInt, slotF(vTLSHandshake)},
		{"tls_v10", kInt, slotF(vTLS10)},
		{"tls_v11", kInt, diffF(vTLSLe11, vTLS10)},
		{"tls_v12", kInt, diffF(vTLSNot13, vTLSLe11)},
		{"tls_v13", kInt, diffF(vTLS, vTLSNot13)},
		{"uncacheable", kInt, slotF(vUncacheable)},
		{"video", kInt, slotF(vVideo)},
		{"waf_blocked", kInt, slotF(vAttack)},
		{"waf_logged", kInt, slotF(vWafLogged)},
		{"waf_passed", kInt, slotF(vWafPassed)},
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
		f = append(f, outField{sc.name + "_sub_count", kInt, slotF(sc.n)}, outField{sc.name + "_sub_time", kSec, slotF(sc.t)})
	}
	for _, c := range []int{1, 2, 3, 4, 5} {
		f = append(f, outField{"status_" + string(rune('0'+c)) + "xx", kInt, classF(c)})
	}
	for _, code := range []int{200, 204, 206, 301, 302, 304, 400, 401, 403, 404, 416, 429, 500, 501, 502, 503, 504, 505} {
		f = append(f, outField{"status_" + itoa(code), kInt, statusF(code)})
	}
	sort.Slice(f, func(i, j int) bool { return f[i].name < f[j].name })
	return f
}()

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
