package fastlysim

// The generator works on a "base vector": the few quantities that are independent of each
// other. Every published field is derived from it by sums (see derive.go), so identities such
// as requests = hits+miss+pass+errors+synth or status_2xx = status_200+status_204+status_206
// hold in every record by construction, and a coarser bucket is the plain sum of the finer
// buckets' base vectors.
//
// The first nCells slots are request counts split by (cache outcome, HTTP status): a cross
// table, so that the cache-outcome totals and the status totals of any bucket are sums over
// the same cells and always agree. The remaining slots are "values" (bytes, times, secondary
// counts), each tied to a parent (a cell group or an earlier value) that it follows when a
// bucket is split into finer buckets.

// Cache outcomes of a request, in the order Fastly's counters list them.
const (
	oHit = iota
	oMiss
	oPass
	oErr
	oSynth
	nOutcomes
)

type cell struct {
	outcome int
	status  int
}

// cells is the (outcome, status) cross table. Statuses are the codes Fastly reports
// individually (plus 101 for WebSocket upgrades, which only feeds status_1xx).
var cells = []cell{
	{oHit, 200}, {oHit, 204}, {oHit, 206}, {oHit, 301}, {oHit, 302}, {oHit, 304}, {oHit, 404}, {oHit, 416},
	{oMiss, 200}, {oMiss, 206}, {oMiss, 301}, {oMiss, 302}, {oMiss, 404}, {oMiss, 500}, {oMiss, 502}, {oMiss, 503}, {oMiss, 504},
	{oPass, 101}, {oPass, 200}, {oPass, 204}, {oPass, 302}, {oPass, 400}, {oPass, 401}, {oPass, 403}, {oPass, 404},
	{oPass, 429}, {oPass, 500}, {oPass, 502}, {oPass, 503}, {oPass, 504},
	{oErr, 500}, {oErr, 501}, {oErr, 503}, {oErr, 504}, {oErr, 505},
	{oSynth, 200}, {oSynth, 301}, {oSynth, 302}, {oSynth, 403}, {oSynth, 404}, {oSynth, 429},
}

var nCells = len(cells)

// Cell groups a value can follow.
const (
	gAll = iota
	gHit
	gMiss
	gPass
	gErr
	gSynth
	gFetch    // miss + pass: requests that reach a backend
	gErrSynth // requests that run vcl_error
	nGroups
)

func cellInGroup(c cell, g int) bool {
	switch g {
	case gAll:
		return true
	case gFetch:
		return c.outcome == oMiss || c.outcome == oPass
	case gErrSynth:
		return c.outcome == oErr || c.outcome == oSynth
	default:
		return c.outcome == g-1
	}
}

// Value slots (offset by nCells in a vector). Times are in ticks of 2^-20 s (binary
// fractions, so summing them as float64 seconds is exact); compute times in 2^-10 ms.
const (
	vHdrHit = iota
	vBodyHit
	vHdrMiss
	vBodyMiss
	vHdrPass
	vBodyPass
	vHdrErr
	vBodyErr
	vHdrSynth
	vBodySynth
	vReqHdr
	vReqBody
	vBereqHdr
	vOfrHdrMiss
	vOfrBodyMiss
	vOfrHdrPass
	vOfrBodyPass
	vHitsTime
	vMissTime
	vPassTime
	vRecvN
	vRecvT
	vHashN
	vHashT
	vPrehashN
	vPrehashT
	vDeliverN
	vDeliverT
	vPredeliverN
	vPredeliverT
	vHitN
	vHitT
	vMissN
	vMissT
	vPassN
	vPassT
	vFetchN
	vFetchT
	vErrorN
	vErrorT
	vPipe
	vPipeN
	vPipeT
	vTLS
	vTLSNot13
	vTLSLe11
	vTLS10
	vTLSHandshake
	vHTTP2
	vIPv6
	vLog
	vLogBytes
	vImgopto
	vImgHdr
	vImgBody
	vImgShieldHdr
	vImgShieldBody
	vVideo
	vOtfp
	vOtfpManifests
	vOtfpHdr
	vOtfpBody
	vOtfpShieldHdr
	vOtfpShieldBody
	vOtfpDeliverT
	vOtfpShieldT
	vPCI
	vRestarts
	vUncacheable
	vRevalidations
	vShield
	vShieldRespHdr
	vShieldRespBody
	vShieldFetches
	vShieldFetchHdr
	vShieldFetchBody
	vShieldFetchRespHdr
	vShieldFetchRespBody
	vShieldReval
	vSegOrigin
	vSegShield
	vGe1k
	vGe10k
	vGe100k
	vGe1m
	vGe10m
	vGe100m
	vGe1g
	vAttack
	vAttackHdr
	vAttackBody
	vAttackSynthBytes
	vWafLogged
	vWafLoggedHdr
	vWafLoggedBody
	vWafPassed
	vWafPassedHdr
	vWafPassedBody
	vBlacklist
	vComputeReq
	vComputeExec
	vComputeReqTime
	vComputeRAM
	nVals
)

// parent encodes what a value follows when split: p >= 0 is an earlier value slot, p < 0 is
// the cell group -1-p.
var parent = func() [nVals]int {
	var p [nVals]int
	grp := func(g int) int { return -1 - g }
	set := func(par int, vs ...int) {
		for _, v := range vs {
			p[v] = par
		}
	}
	set(grp(gHit), vHdrHit, vBodyHit, vHitsTime, vHitN)
	set(grp(gMiss), vHdrMiss, vBodyMiss, vOfrHdrMiss, vOfrBodyMiss, vMissTime, vMissN, vRestarts,
		vRevalidations, vShield, vSegOrigin)
	set(grp(gPass), vHdrPass, vBodyPass, vReqBody, vOfrHdrPass, vOfrBodyPass, vPassTime, vPassN, vPipe,
		vPCI, vUncacheable, vWafLogged, vWafPassed)
	set(grp(gErr), vHdrErr, vBodyErr)
	set(grp(gSynth), vHdrSynth, vBodySynth, vAttack, vBlacklist)
	set(grp(gFetch), vBereqHdr, vFetchN)
	set(grp(gErrSynth), vErrorN)
	set(grp(gAll), vReqHdr, vRecvN, vHashN, vPrehashN, vDeliverN, vPredeliverN, vTLS, vHTTP2, vIPv6,
		vLog, vImgopto, vVideo, vGe1k, vComputeReq)
	set(vRecvN, vRecvT)
	set(vHashN, vHashT)
	set(vPrehashN, vPrehashT)
	set(vDeliverN, vDeliverT)
	set(vPredeliverN, vPredeliverT)
	set(vHitN, vHitT)
	set(vMissN, vMissT)
	set(vPassN, vPassT)
	set(vFetchN, vFetchT)
	set(vErrorN, vErrorT)
	set(vPipe, vPipeN)
	set(vPipeN, vPipeT)
	set(vTLS, vTLSNot13, vTLSHandshake)
	set(vTLSNot13, vTLSLe11)
	set(vTLSLe11, vTLS10)
	set(vLog, vLogBytes)
	set(vImgopto, vImgHdr, vImgBody, vImgShieldHdr, vImgShieldBody)
	set(vVideo, vOtfp)
	set(vOtfp, vOtfpManifests, vOtfpHdr, vOtfpBody, vOtfpShieldHdr, vOtfpShieldBody, vOtfpDeliverT, vOtfpShieldT)
	set(vShield, vShieldRespHdr, vShieldRespBody, vShieldFetches)
	set(vShieldFetches, vShieldFetchHdr, vShieldFetchBody, vShieldFetchRespHdr, vShieldFetchRespBody, vShieldReval)
	set(vSegOrigin, vSegShield)
	set(vGe1k, vGe10k)
	set(vGe10k, vGe100k)
	set(vGe100k, vGe1m)
	set(vGe1m, vGe10m)
	set(vGe10m, vGe100m)
	set(vGe100m, vGe1g)
	set(vAttack, vAttackHdr, vAttackBody, vAttackSynthBytes)
	set(vWafLogged, vWafLoggedHdr, vWafLoggedBody)
	set(vWafPassed, vWafPassedHdr, vWafPassedBody)
	set(vComputeReq, vComputeExec, vComputeReqTime, vComputeRAM)
	for v := range p {
		if p[v] >= v {
			panic("fastlysim: value parent must come first")
		}
	}
	return p
}()

// vec is one bucket's base vector: nCells cell counts then nVals values.
type vec []int64

func newVec() vec { return make(vec, nCells+nVals) }

func (v vec) add(o vec) {
	for i := range v {
		v[i] += o[i]
	}
}

func (v vec) isZero() bool {
	for _, x := range v {
		if x != 0 {
			return false
		}
	}
	return true
}

// groupSums returns the request count of every cell group.
func (v vec) groupSums() [nGroups]int64 {
	var s [nGroups]int64
	for i, gs := range cellGroups {
		for _, g := range gs {
			s[g] += v[i]
		}
	}
	return s
}

var cellGroups = func() [][]int {
	m := make([][]int, len(cells))
	for i, c := range cells {
		for g := 0; g < nGroups; g++ {
			if cellInGroup(c, g) {
				m[i] = append(m[i], g)
			}
		}
	}
	return m
}()
