package plugin

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// This file evaluates the server-side expressions of Grafana alert rules (reduce, math,
// threshold) the way Grafana does, so the provisioned rules can be tested without a Grafana:
// every numeric field is a series identified by its labels, a reduction keeps the labels, and
// math joins series with the same labels.

// series is one time series' values (NaN where null), identified by its labels.
type series map[string][]float64

// number is one value per label set: what reduce, math and threshold produce.
type number map[string]float64

// seriesOf reads every numeric field of the frames as a series.
func seriesOf(frames data.Frames) series {
	out := series{}
	for _, fr := range frames {
		for _, f := range fr.Fields {
			if f.Type().Time() || !f.Type().Numeric() {
				continue
			}
			vals := make([]float64, f.Len())
			for i := range vals {
				v, err := f.NullableFloatAt(i)
				if err != nil || v == nil {
					vals[i] = math.NaN()
				} else {
					vals[i] = *v
				}
			}
			out[labelKey(f.Labels)] = vals
		}
	}
	return out
}

func labelKey(l data.Labels) string {
	keys := make([]string, 0, len(l))
	for k, v := range l {
		if k != "metric" { // Grafana's expressions see the series, not which metric it is
			keys = append(keys, k+"="+v)
		}
	}
	sort.Strings(keys)
	return strings.Join(keys, ",")
}

// reduce applies a reducer (mean, sum, last, min, max) in Grafana's modes: "dropNN" ignores
// NaN, the default strict mode turns any NaN into NaN.
func reduce(in series, reducer, mode string) (number, error) {
	out := number{}
	for key, vals := range in {
		var kept []float64
		for _, v := range vals {
			if math.IsNaN(v) {
				if mode != "dropNN" {
					kept = []float64{math.NaN()}
					break
				}
				continue
			}
			kept = append(kept, v)
		}
		r, err := reduceValues(kept, reducer)
		if err != nil {
			return nil, err
		}
		out[key] = r
	}
	return out, nil
}

func reduceValues(vals []float64, reducer string) (float64, error) {
	if len(vals) == 0 {
		if reducer == "sum" {
			return 0, nil
		}
		return math.NaN(), nil
	}
	switch reducer {
	case "sum", "mean":
		var s float64
		for _, v := range vals {
			s += v
		}
		if reducer == "mean" {
			s /= float64(len(vals))
		}
		return s, nil
	case "last":
		return vals[len(vals)-1], nil
	case "min", "max":
		r := vals[0]
		for _, v := range vals[1:] {
			if (reducer == "min") == (v < r) {
				r = v
			}
		}
		return r, nil
	}
	return 0, fmt.Errorf("reducer %q is not evaluated by this test", reducer)
}

// binaryMath evaluates "$X op $Y" between two numbers, joined on equal labels.
func binaryMath(expr string, vars map[string]number) (number, error) {
	parts := strings.Fields(expr)
	if len(parts) != 3 || !strings.HasPrefix(parts[0], "$") || !strings.HasPrefix(parts[2], "$") {
		return nil, fmt.Errorf("math %q: only \"$X op $Y\" is evaluated by this test", expr)
	}
	x, y := vars[parts[0][1:]], vars[parts[2][1:]]
	out := number{}
	for key, a := range x {
		b, ok := y[key]
		if !ok {
			continue
		}
		switch parts[1] {
		case "-":
			out[key] = a - b
		case "+":
			out[key] = a + b
		case "*":
			out[key] = a * b
		case "/":
			out[key] = a / b
		default:
			return nil, fmt.Errorf("math %q: unknown operator", expr)
		}
	}
	return out, nil
}

// threshold is 1 where the evaluator holds, 0 where it does not, NaN where the input is NaN.
func threshold(in number, kind string, params []float64) (number, error) {
	out := number{}
	for key, v := range in {
		var hold bool
		switch kind {
		case "gt":
			hold = v > params[0]
		case "lt":
			hold = v < params[0]
		case "within_range":
			hold = v > params[0] && v < params[1]
		case "outside_range":
			hold = v < params[0] || v > params[1]
		default:
			return nil, fmt.Errorf("threshold %q is not evaluated by this test", kind)
		}
		switch {
		case math.IsNaN(v):
			out[key] = math.NaN()
		case hold:
			out[key] = 1
		default:
			out[key] = 0
		}
	}
	return out, nil
}
