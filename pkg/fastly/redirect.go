package fastly

import (
	"net/http"
)

// maxRedirects bounds how many same-host redirects one call follows: Fastly itself does not
// redirect API calls, so a chain is a proxy's doing and a long one is a loop.
const maxRedirects = 3

// checkRedirect is every Fastly client's redirect policy. Go re-sends custom headers such as
// Fastly-Key on every hop, whatever the host, so a redirect to another scheme or host is
// refused before anything is sent there; same-host hops are followed a few times.
func checkRedirect(next *http.Request, via []*http.Request) error {
	first := via[0]
	if next.URL.Scheme != first.URL.Scheme || next.URL.Host != first.URL.Host {
		return &RedirectError{Path: first.URL.Path, Host: next.URL.Scheme + "://" + next.URL.Host}
	}
	if len(via) > maxRedirects {
		return &RedirectError{Path: first.URL.Path}
	}
	return nil
}
