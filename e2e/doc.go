// Package e2e holds the end-to-end tests: they build the real plugin binary, start it through
// the go-plugin handshake the way Grafana does, and drive its gRPC services against the Fastly
// simulator. Everything lives in _test.go files so nothing here ships in a build.
package e2e
