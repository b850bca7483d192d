// Command fastlysim runs the Fastly API simulator on its own, for the demo and for manual
// testing: point the data source's apiUrl and realtimeUrl at the URL it prints.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// run serves until ctx ends; the first line it writes is the base URL to point the plugin at.
func run(ctx context.Context, args []string, out io.Writer) error {
	flags := flag.NewFlagSet("fastlysim", flag.ContinueOnError)
	addr := flags.String("addr", "127.0.0.1:8089", "listen address (port 0 picks a free port)")
	token := flags.String("token", "sim-token", "the Fastly-Key the simulator accepts")
	perPage := flags.Int("per-page", 20, "default page size of GET /service")
	var incidents []incident
	flags.Func("incident", "SERVICE_ID=SCENARIO: play an incident on a service from the last hour on, so alert rules fire (repeatable; scenarios: traffic-stopped, error-storm, cache-bypass, slow-origin, origin-errors)", func(v string) error {
		in, err := parseIncident(v)
		incidents = append(incidents, in)
		return err
	})
	dcFilter := fastlysim.DatacenterHonoured
	flags.Func("datacenter-filter", "how /stats answers its datacenter (POP) filter: honoured (default), unknown-empty or ignored", func(v string) error {
		var err error
		dcFilter, err = fastlysim.ParseDatacenterFilter(v)
		return err
	})
	minutes := fastlysim.MinutesFor35Days
	flags.Func("minute-retention", "how long /stats keeps minutes: 35-days (default, what the plugin long assumed), refused-after-a-day or missing-after-a-day (Fastly's engineers' notes)", func(v string) error {
		var err error
		minutes, err = fastlysim.ParseMinuteRetention(v)
		return err
	})
	lenient := flags.Bool("lenient-params", false, "ignore query parameters Fastly's reference does not list for an endpoint, instead of refusing them with 400")
	if err := flags.Parse(args); err != nil {
		return err
	}
	sim := fastlysim.New(fastlysim.Config{Token: *token, PerPage: *perPage})
	sim.SetDatacenterFilter(dcFilter)
	sim.SetMinuteRetention(minutes)
	sim.SetStrictParams(!*lenient)
	now := time.Now()
	for _, in := range incidents {
		if err := sim.PlayScenario(in.service, in.scenario, now.Add(-time.Hour), now.Add(24*time.Hour)); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(out, "http://%s\n", ln.Addr())
	for _, s := range sim.Services()[:5] {
		fmt.Fprintf(out, "  %s  %-4s  %s\n", s.ID, s.Type, s.Name)
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// incident is one -incident flag: a scenario to play on a service.
type incident struct {
	service  string
	scenario fastlysim.Scenario
}

func parseIncident(v string) (incident, error) {
	id, name, ok := strings.Cut(v, "=")
	if !ok || id == "" {
		return incident{}, fmt.Errorf("-incident %q: write SERVICE_ID=SCENARIO, e.g. %s=error-storm", v, fastlysim.ShopServiceID)
	}
	sc, err := fastlysim.ParseScenario(name)
	return incident{service: id, scenario: sc}, err
}
