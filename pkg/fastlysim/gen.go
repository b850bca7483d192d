package fastlysim

import (
	"math"
	"sort"
	"time"
)

// Every number the simulator serves comes from hour "atoms": one base vector per
// (service, POP, UTC hour), a pure function of those three. Minutes are exact splits of their
// hour and seconds exact splits of their minute (split.go), days are sums of hours, and
// region or datacenter filters sum a subset of POPs. So all resolutions agree to the unit.

func mix(x uint64) uint64 { // splitmix64 finaliser
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func hash(parts ...uint64) uint64 {
	h := uint64(0x51ed270b)
	for _, p := range parts {
		h = mix(h ^ p)
	}
	return h
}

// unit maps a hash to [0, 1).
func unit(h uint64) float64 { return float64(h>>11) / (1 << 53) }

// Hash domains keep the random streams of different uses apart.
const (
	dVolume = iota + 100
	dOutcome
	dValue
	dMinuteW
	dSecondW
	dPhase
)

// ticksPerSec is the unit of *_time values: 2^-20 s, so float sums of them are exact.
const ticksPerSec = 1 << 20

// msUnits is the unit of compute_*_ms values: 2^-10 ms.
const msUnits = 1 << 10

// cycle is the daily traffic shape at a local hour (0..24): lowest around 04:30, highest
// around 16:30.
func cycle(localHour float64) float64 {
	return 0.3 + 0.7*(0.5-0.5*math.Cos(2*math.Pi*(localHour-4.5)/24))
}

func localHour(pop string, t int64) float64 {
	off := math.Round(popByCode[pop].Longitude / 15)
	h := math.Mod(float64(t)/3600+off, 24)
	if h < 0 {
		h += 24
	}
	return h
}

func (s *svcInfo) quietHour(hour int64) bool {
	n := s.prof.nightUTC
	h := (hour / 3600) % 24
	return n[1] > n[0] && h >= n[0] && h < n[1]
}

// hourAtom is the base vector of one service at one POP over the UTC hour starting at hour.
func (s *svcInfo) hourAtom(pop string, hour int64) vec {
	v := newVec()
	p := s.prof
	share := s.share[pop]
	playing := s.playing(hour)
	if p.peakRPS == 0 || share == 0 || s.quietHour(hour) || playing.has(TrafficStopped) {
		return v
	}
	ps := strSeed(pop)
	rnd := func(dom, i uint64) float64 { return unit(hash(s.seed, ps, uint64(hour), dom, i)) }
	vol := p.peakRPS * 3600 * share * cycle(localHour(pop, hour+1800)) * (0.9 + 0.2*rnd(dVolume, 0))
	if wd := time.Unix(hour, 0).UTC().Weekday(); wd == time.Saturday || wd == time.Sunday {
		vol *= p.weekend
	}
	reqs := int64(vol)
	if reqs == 0 {
		return v
	}
	incident := (p.incident >= 0 && (hour/3600)%24 == p.incident) || playing.has(ErrorStorm)

	// Outcomes, then statuses within each outcome.
	var frac [nOutcomes]float64
	for o := range frac {
		frac[o] = p.outcomes[o] * (0.85 + 0.3*rnd(dOutcome, uint64(o)))
		if incident && o == oErr {
			frac[o] *= 12
		}
	}
	if playing.has(CacheBypass) {
		frac[oMiss] += .8 * frac[oHit]
		frac[oHit] *= .2
	}
	var ftot float64
	for _, f := range frac {
		ftot += f
	}
	var byOutcome [nOutcomes]int64
	left := reqs
	for o := 1; o < nOutcomes; o++ {
		byOutcome[o] = int64(float64(reqs) * frac[o] / ftot)
		left -= byOutcome[o]
	}
	byOutcome[oHit] = left
	for o := 0; o < nOutcomes; o++ {
		extra503 := 0.0
		if incident {
			extra503 = .15
		}
		if playing.has(OriginErrors) && (o == oMiss || o == oPass) {
			extra503 = 1 // about half of what the origin answers
		}
		s.fillStatuses(v, o, byOutcome[o], extra503)
	}

	g := v.groupSums()
	// set fixes a value as ratio x (its parent total), with +-10% noise; sub caps it at the
	// parent so subsets stay subsets.
	set := func(slot int, x float64) {
		pt := parentTotal(v, g, slot)
		v[nCells+slot] = int64(float64(pt) * x * (0.9 + 0.2*rnd(dValue, uint64(slot))))
	}
	sub := func(slot int, x float64) {
		set(slot, x)
		if pt := parentTotal(v, g, slot); v[nCells+slot] > pt {
			v[nCells+slot] = pt
		}
	}
	vcl := 1.0
	if p.compute {
		vcl = 0
	}
	set(vHdrHit, 420)
	set(vBodyHit, p.objBytes)
	set(vHdrMiss, 450)
	set(vBodyMiss, p.objBytes*1.2)
	set(vHdrPass, 380)
	set(vBodyPass, p.passBytes)
	set(vHdrErr, 300)
	set(vBodyErr, 1200)
	set(vHdrSynth, 250)
	set(vBodySynth, 600)
	set(vReqHdr, 650)
	set(vReqBody, p.reqBody)
	set(vBereqHdr, 800)
	set(vOfrHdrMiss, 500)
	set(vOfrBodyMiss, p.objBytes*1.1)
	set(vOfrHdrPass, 450)
	set(vOfrBodyPass, p.passBytes)
	set(vHitsTime, 90e-6*ticksPerSec)
	slow := 1.0
	if playing.has(SlowOrigin) {
		slow = 20
	}
	set(vMissTime, slow*p.originMs/1000*ticksPerSec)
	set(vPassTime, slow*p.passMs/1000*ticksPerSec)
	for _, sc := range []struct {
		n, t     int
		per, sec float64
	}{
		{vRecvN, vRecvT, 1.02, 25e-6}, {vHashN, vHashT, 1, 2.6e-6}, {vPrehashN, vPrehashT, 1, 2.4e-6},
		{vDeliverN, vDeliverT, 1, 15e-6}, {vPredeliverN, vPredeliverT, 1, .35e-6}, {vHitN, vHitT, .98, 3e-6},
		{vMissN, vMissT, 1, .7e-6}, {vPassN, vPassT, 1, 1e-6}, {vFetchN, vFetchT, 1, 40e-6},
		{vErrorN, vErrorT, 1, 10e-6},
	} {
		set(sc.n, sc.per*vcl)
		set(sc.t, sc.sec*ticksPerSec)
	}
	sub(vPipe, p.pipe)
	set(vPipeN, vcl)
	set(vPipeT, 5e-6*ticksPerSec)
	sub(vTLS, .985)
	sub(vTLSNot13, .18)
	sub(vTLSLe11, .01)
	sub(vTLS10, .3)
	set(vTLSHandshake, .25*4200)
	sub(vHTTP2, .72)
	sub(vIPv6, .22)
	set(vLog, p.log)
	set(vLogBytes, 420)
	sub(vImgopto, p.imgopto)
	set(vImgHdr, 380)
	set(vImgBody, 28000)
	set(vImgShieldHdr, .05*380)
	set(vImgShieldBody, .05*28000)
	sub(vVideo, p.video)
	sub(vOtfp, .6)
	sub(vOtfpManifests, .1)
	set(vOtfpHdr, 400)
	set(vOtfpBody, 450000)
	set(vOtfpShieldHdr, .1*400)
	set(vOtfpShieldBody, .1*450000)
	set(vOtfpDeliverT, 2e-3*ticksPerSec)
	set(vOtfpShieldT, 8e-3*ticksPerSec*.1)
	sub(vPCI, p.pci)
	sub(vRestarts, .008)
	sub(vUncacheable, .85)
	sub(vRevalidations, .05)
	sub(vShield, p.shield)
	set(vShieldRespHdr, 450)
	set(vShieldRespBody, p.objBytes)
	sub(vShieldFetches, .35)
	set(vShieldFetchHdr, 800)
	set(vShieldFetchBody, 0)
	set(vShieldFetchRespHdr, 500)
	set(vShieldFetchRespBody, p.objBytes)
	sub(vShieldReval, .04)
	sub(vSegOrigin, .02*p.shield)
	sub(vSegShield, .5)
	for i, x := range p.sizeShare { // a chain of nested "at least this big" subsets
		if i == 0 {
			sub(vGe1k, x)
		} else if p.sizeShare[i-1] > 0 {
			sub(vGe1k+i, x/p.sizeShare[i-1])
		}
	}
	v[nCells+vGe1g] = 0 // objects over 1 GB are not in the historical object_size_* set
	sub(vAttack, p.attacks)
	set(vAttackHdr, 900)
	set(vAttackBody, 300)
	set(vAttackSynthBytes, 1100)
	sub(vWafLogged, .002*p.attacks)
	set(vWafLoggedHdr, 900)
	set(vWafLoggedBody, 400)
	sub(vWafPassed, .001*p.attacks)
	set(vWafPassedHdr, 900)
	set(vWafPassedBody, 400)
	sub(vBlacklist, .05*p.attacks)
	if p.compute {
		sub(vComputeReq, 1)
		set(vComputeExec, 1.8*msUnits)
		set(vComputeReqTime, 25*msUnits)
		set(vComputeRAM, 2.5e6)
	}
	return v
}

// parentTotal is the bucket total of whatever value slot follows.
func parentTotal(v vec, g [nGroups]int64, slot int) int64 {
	if p := parent[slot]; p >= 0 {
		return v[nCells+p]
	} else {
		return g[-1-p]
	}
}

// fillStatuses spreads n requests of one outcome over its status cells, with extra503 more
// weight on 503 (an incident); the rounding remainder goes to the most common status.
func (s *svcInfo) fillStatuses(v vec, outcome int, n int64, extra503 float64) {
	mixes := s.prof.status[outcome]
	if n == 0 || len(mixes) == 0 {
		return
	}
	codes := make([]int, 0, len(mixes)+1)
	for c := range mixes {
		codes = append(codes, c)
	}
	if _, ok := mixes[503]; !ok && extra503 > 0 && cellIndex(outcome, 503) >= 0 {
		codes = append(codes, 503)
	}
	sort.Ints(codes) // a fixed order: float sums must not depend on map iteration
	var total float64
	for _, c := range codes {
		total += mixes[c]
		if c == 503 {
			total += extra503
		}
	}
	top, left := -1, n
	var topW float64
	for _, c := range codes {
		i := cellIndex(outcome, c)
		if i < 0 {
			continue
		}
		w := mixes[c]
		if c == 503 {
			w += extra503
		}
		k := int64(float64(n) * w / total)
		v[i] += k
		left -= k
		if w > topW {
			top, topW = i, w
		}
	}
	if top >= 0 {
		v[top] += left
	}
}

var cellIdx = func() map[[2]int]int {
	m := make(map[[2]int]int, len(cells))
	for i, c := range cells {
		m[[2]int{c.outcome, c.status}] = i
	}
	return m
}()

func cellIndex(outcome, status int) int {
	if i, ok := cellIdx[[2]int{outcome, status}]; ok {
		return i
	}
	return -1
}

// minuteWeights are the cumulative split weights of an hour's 60 minutes at one POP: the
// daily curve plus per-minute jitter, so minute series are smooth across hour boundaries.
func (s *svcInfo) minuteWeights(pop string, hour int64) []int64 {
	ps := strSeed(pop)
	w := make([]float64, 60)
	for m := range w {
		t := hour + int64(m)*60 + 30
		w[m] = cycle(localHour(pop, t)) * (0.8 + 0.4*unit(hash(s.seed, ps, uint64(t), dMinuteW)))
	}
	return cumWeights(w)
}

// secondWeights are the cumulative split weights of a minute's 60 seconds at one POP.
func (s *svcInfo) secondWeights(pop string, minute int64) []int64 {
	ps := strSeed(pop)
	w := make([]float64, 60)
	for i := range w {
		w[i] = 0.7 + 0.6*unit(hash(s.seed, ps, uint64(minute+int64(i)), dSecondW))
	}
	return cumWeights(w)
}

func (s *svcInfo) phases(pop string, bucket int64) []int64 {
	ps := strSeed(pop)
	ph := make([]int64, nCells)
	for c := range ph {
		ph[c] = int64(hash(s.seed, ps, uint64(bucket), dPhase, uint64(c)) & (wOne - 1))
	}
	return ph
}

// minutes splits an hour atom into its 60 minute vectors.
func (s *svcInfo) minutes(pop string, hour int64, atom vec) []vec {
	return newSplitter(atom, s.minuteWeights(pop, hour), s.phases(pop, hour)).all()
}

// seconds splits a minute vector into its 60 second vectors.
func (s *svcInfo) seconds(pop string, minute int64, m vec) []vec {
	return newSplitter(m, s.secondWeights(pop, minute), s.phases(pop, minute)).all()
}
