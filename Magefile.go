//go:build mage

// Magefile builds the backend with the Grafana plugin SDK's targets (mage -v build:linux, ...).
package main

import (
	"github.com/grafana/grafana-plugin-sdk-go/build"
	// mage:import
	_ "github.com/grafana/grafana-plugin-sdk-go/build"
)

// The manifest lives at the repo root, not in src/, so point the SDK's build at it.
func init() {
	_ = build.SetBeforeBuildCallback(func(cfg build.Config) (build.Config, error) {
		cfg.PluginJSONPath = "."
		return cfg, nil
	})
}

// Default builds the backend for every platform Grafana runs on.
var Default = build.BuildAll
