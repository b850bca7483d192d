package plugin

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// alertFile is Grafana's alerting provisioning format, as far as the tests read it.
type alertFile struct {
	APIVersion int `yaml:"apiVersion"`
	Groups     []struct {
		OrgID    int         `yaml:"orgId"`
		Name     string      `yaml:"name"`
		Folder   string      `yaml:"folder"`
		Interval string      `yaml:"interval"`
		Rules    []alertRule `yaml:"rules"`
	} `yaml:"groups"`
}

type alertRule struct {
	UID          string            `yaml:"uid"`
	Title        string            `yaml:"title"`
	Condition    string            `yaml:"condition"`
	Data         []alertQuery      `yaml:"data"`
	NoDataState  string            `yaml:"noDataState"`
	ExecErrState string            `yaml:"execErrState"`
	For          string            `yaml:"for"`
	Labels       map[string]string `yaml:"labels"`
	Annotations  map[string]string `yaml:"annotations"`
}

type alertQuery struct {
	RefID             string `yaml:"refId"`
	RelativeTimeRange struct {
		From int64 `yaml:"from"`
		To   int64 `yaml:"to"`
	} `yaml:"relativeTimeRange"`
	DatasourceUID string         `yaml:"datasourceUid"`
	Model         map[string]any `yaml:"model"`
}

// provisionedAlertFiles is what Grafana loads from provisioning/alerting in the demo: the rules
// over every service as they are, and the rules that name services as scripts/service-alerts.sh
// writes them for the simulator's shop service (what scripts/run.sh does).
func provisionedAlertFiles(t *testing.T) map[string][]byte {
	t.Helper()
	raw, err := os.ReadFile("../../provisioning/alerting/fastly-alerts.yaml")
	require.NoError(t, err)
	return map[string][]byte{"fastly-alerts.yaml": raw, "fastly-service-alerts.yaml": serviceAlerts(t, fastlysim.ShopServiceID)}
}

// serviceAlerts runs scripts/service-alerts.sh with ids and returns what it wrote.
func serviceAlerts(t *testing.T, ids string) []byte {
	t.Helper()
	out, err := exec.Command("bash", "../../scripts/service-alerts.sh", ids).Output()
	require.NoError(t, err)
	return out
}

// loadAlertRules reads the files as Grafana's provisioning does, as far as these rules go:
// environment variables would be expanded in titles, labels and annotations, and a query's
// model is passed on as written (the rules use no variable).
func loadAlertRules(t *testing.T, files map[string][]byte) map[string]alertRule {
	t.Helper()
	rules := map[string]alertRule{}
	groups := map[string]string{}
	for name, raw := range files {
		var f alertFile
		require.NoError(t, yaml.Unmarshal(raw, &f), name)
		require.Equal(t, 1, f.APIVersion, name)
		for _, g := range f.Groups {
			require.NotEmpty(t, g.Folder)
			key := g.Folder + "/" + g.Name
			require.NotContains(t, groups, key, "group %s in %s and %s: Grafana keeps one", key, name, groups[key])
			groups[key] = name
			_, err := time.ParseDuration(g.Interval)
			require.NoError(t, err, "group interval")
			for _, r := range g.Rules {
				require.NotContains(t, rules, r.UID, "uid twice")
				rules[r.UID] = r
			}
		}
	}
	return rules
}

// evaluate runs the rule's queries through the plugin at now and its expressions as Grafana
// would, and returns the condition's value per alert instance (labels).
func evaluate(t *testing.T, env *testEnv, rule alertRule, now time.Time) (number, error) {
	t.Helper()
	raw, numbers := map[string]series{}, map[string]number{}
	for _, d := range rule.Data {
		m := d.Model
		var err error
		switch {
		case d.DatasourceUID == "fastly":
			from, to := now.Add(-time.Duration(d.RelativeTimeRange.From)*time.Second), now.Add(-time.Duration(d.RelativeTimeRange.To)*time.Second)
			r := env.query(t, from, to, m).Responses["A"]
			if r.Error != nil {
				return nil, fmt.Errorf("%s: %w", d.RefID, r.Error)
			}
			raw[d.RefID] = seriesOf(r.Frames)
		case m["type"] == "reduce":
			settings, _ := m["settings"].(map[string]any)
			mode, _ := settings["mode"].(string)
			numbers[d.RefID], err = reduce(raw[m["expression"].(string)], m["reducer"].(string), mode)
		case m["type"] == "math":
			numbers[d.RefID], err = binaryMath(m["expression"].(string), numbers)
		case m["type"] == "threshold":
			ev := m["conditions"].([]any)[0].(map[string]any)["evaluator"].(map[string]any)
			var params []float64
			for _, p := range ev["params"].([]any) {
				params = append(params, toFloat(p))
			}
			numbers[d.RefID], err = threshold(numbers[m["expression"].(string)], ev["type"].(string), params)
		default:
			return nil, fmt.Errorf("%s: data source %q, type %v not evaluated by this test", d.RefID, d.DatasourceUID, m["type"])
		}
		if err != nil {
			return nil, err
		}
	}
	return numbers[rule.Condition], nil
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case int:
		return float64(x)
	case float64:
		return x
	}
	return math.NaN()
}

func firing(n number) []string {
	var out []string
	for k, v := range n {
		if v == 1 {
			out = append(out, k)
		}
	}
	return out
}

// TestAlertRulesFireOnTheirIncidentOnly evaluates each provisioned rule through the plugin
// against the simulator: on normal Friday-noon traffic no instance fires (and the rule sees
// data, so quiet is not silence), and with the simulator playing the rule's incident on the
// shop service the shop's instance fires.
func TestAlertRulesFireOnTheirIncidentOnly(t *testing.T) {
	incidents := map[string]fastlysim.Scenario{
		"fastly-5xx-ratio-high":      fastlysim.ErrorStorm,
		"fastly-hit-ratio-dropped":   fastlysim.CacheBypass,
		"fastly-traffic-stopped":     fastlysim.TrafficStopped,
		"fastly-origin-latency-high": fastlysim.SlowOrigin,
		"fastly-origin-5xx-high":     fastlysim.OriginErrors,
	}
	rules := loadAlertRules(t, provisionedAlertFiles(t))
	require.Len(t, rules, len(incidents))
	for uid, scenario := range incidents {
		rule, ok := rules[uid]
		require.True(t, ok, uid)
		t.Run(uid+"/normal", func(t *testing.T) {
			got, err := evaluate(t, newEnv(t, simToken), rule, simNow)
			require.NoError(t, err)
			t.Logf("condition per instance: %v", got)
			assert.Empty(t, firing(got), "values %v", got)
			known := 0
			for _, v := range got {
				if !math.IsNaN(v) {
					known++
				}
			}
			assert.Positive(t, known, "the rule must see data to be quiet")
		})
		t.Run(uid+"/"+scenario.String(), func(t *testing.T) {
			env := newEnv(t, simToken)
			require.NoError(t, env.sim.PlayScenario(fastlysim.ShopServiceID, scenario, simNow.Add(-2*time.Hour), simNow.Add(time.Hour)))
			got, err := evaluate(t, env, rule, simNow)
			require.NoError(t, err)
			t.Logf("condition per instance: %v", got)
			fired := firing(got)
			require.NotEmpty(t, fired, "values %v", got)
			for _, key := range fired {
				assert.Contains(t, key, "service="+fastlysim.ShopServiceID, "only the shop is in trouble")
			}
		})
	}
}

// TestAlertRulesAreComplete: each rule's condition and expressions name refIds that exist, its
// queries use the provisioned data source, its states and duration are ones Grafana accepts,
// and its annotations only quote values the rule computes.
func TestAlertRulesAreComplete(t *testing.T) {
	valueRef := regexp.MustCompile(`\$values\.([A-Z])\b`)
	for uid, r := range loadAlertRules(t, provisionedAlertFiles(t)) {
		t.Run(uid, func(t *testing.T) {
			refs := map[string]bool{}
			for _, d := range r.Data {
				refs[d.RefID] = true
				assert.Equal(t, d.RefID, d.Model["refId"], "model refId")
				assert.Contains(t, []string{"fastly", "__expr__"}, d.DatasourceUID)
				if expr, ok := d.Model["expression"].(string); ok && d.Model["type"] != "math" {
					assert.True(t, refs[expr], "%s reads %s before it exists", d.RefID, expr)
				}
			}
			assert.True(t, refs[r.Condition], "condition %s", r.Condition)
			assert.Contains(t, []string{"OK", "Alerting", "NoData", "KeepLast"}, r.NoDataState)
			assert.Contains(t, []string{"OK", "Alerting", "Error", "KeepLast"}, r.ExecErrState)
			_, err := time.ParseDuration(r.For)
			assert.NoError(t, err)
			assert.NotEmpty(t, r.Labels["severity"])
			for _, text := range r.Annotations {
				for _, m := range valueRef.FindAllStringSubmatch(text, -1) {
					assert.True(t, refs[m[1]], "annotation quotes $values.%s", m[1])
				}
				assert.False(t, strings.Contains(text, "{{ $labels.") && !strings.Contains(text, "}}"), "unclosed template")
			}
		})
	}
}

// TestServiceAlertRulesNameOnlyTheChosenServices: the provisioned rules name no service, the
// generated ones name exactly the services given, and loaded as written (Grafana does not
// expand variables inside a query's model) the template fails with a message that says why.
func TestServiceAlertRulesNameOnlyTheChosenServices(t *testing.T) {
	raw, err := os.ReadFile("../../provisioning/alerting/fastly-alerts.yaml")
	require.NoError(t, err)
	assert.NotContains(t, string(raw), fastlysim.ShopServiceID, "no rule Grafana loads by itself names a service")
	for _, r := range loadAlertRules(t, map[string][]byte{"f": raw}) {
		for _, d := range r.Data {
			if d.DatasourceUID == "fastly" {
				assert.Equal(t, []any{"*"}, d.Model["services"], r.UID)
			}
		}
	}

	two := loadAlertRules(t, map[string][]byte{"f": serviceAlerts(t, fastlysim.ShopServiceID+", "+fastlysim.APIServiceID)})
	require.Len(t, two, 3)
	for uid, r := range two {
		assert.Equal(t, []any{fastlysim.ShopServiceID, fastlysim.APIServiceID}, r.Data[0].Model["services"], uid)
	}

	for _, bad := range []string{"", "SU1Z0/../x", strings.Repeat("a,", 11)} {
		cmd := exec.Command("bash", "../../scripts/service-alerts.sh", bad)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit, "%q", bad)
		assert.Equal(t, 2, exit.ExitCode(), "%q", bad)
		assert.NotEmpty(t, stderr.String(), "says why")
	}

	template, err := os.ReadFile("../../provisioning/templates/fastly-service-alerts.yaml")
	require.NoError(t, err)
	asIs := loadAlertRules(t, map[string][]byte{"template": template})
	_, err = evaluate(t, newEnv(t, simToken), asIs["fastly-origin-5xx-high"], simNow)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"$FASTLY_ALERT_SERVICES" is not a Fastly service id`)
}
