package fastly

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Product is one of Fastly's paid, per-service observability products, named by its id in the
// enabled-products API. It is the one name the plugin uses for a product: its historical and
// real-time endpoints, its own dimension and its display name all derive from it.
type Product string

// The products the plugin reads.
const (
	ProductOriginInspector Product = "origin_inspector"
	ProductDomainInspector Product = "domain_inspector"
	ProductLogExplorer     Product = "log_explorer_insights"
)

// productNames are the names the Fastly web interface shows, so messages match what users see.
var productNames = map[Product]string{
	ProductOriginInspector: "Origin Inspector",
	ProductDomainInspector: "Domain Inspector",
	ProductLogExplorer:     "Log Explorer & Insights",
}

// Name is the product's name as the Fastly web interface shows it (the id itself when unknown).
func (p Product) Name() string {
	if n, ok := productNames[p]; ok {
		return n
	}
	return string(p)
}

// inspectorSegment is the inspector's path segment, in /metrics/{segment}/services/{id} and in
// rt.fastly.com/v1/{segment}/...: "origins" or "domains".
func (p Product) inspectorSegment() string {
	if p == ProductDomainInspector {
		return "domains"
	}
	return "origins"
}

// Realtime is the family of rt.fastly.com endpoints an inspector streams from.
func (p Product) Realtime() RealtimeProduct {
	return RealtimeProduct(p.inspectorSegment())
}

// Dimension is the inspector API's name for the product's own dimension, used in group_by and
// as the filter parameter: "host" for Origin Inspector, "domain" for Domain Inspector.
func (p Product) Dimension() string {
	if p == ProductDomainInspector {
		return "domain"
	}
	return "host"
}

// ProductDisabledError means a service does not have a paid product enabled. Fastly answers
// the product's metrics endpoints with errors or nothing in that case; this says why and what
// to do instead of leaving an empty panel.
type ProductDisabledError struct {
	Product   Product
	ServiceID string
}

func (e *ProductDisabledError) Error() string {
	name := e.Product.Name()
	return fmt.Sprintf("%s is not enabled on Fastly service %s, so it has no %s data. "+
		"It is a paid, per-service product: enable it in the Fastly web interface (open the service, then Observability > %s, or the service's product settings), "+
		"or with the API: PUT /enabled-products/v1/%s/services/%s. Data appears from the moment it is enabled.",
		name, e.ServiceID, name, name, e.Product, e.ServiceID)
}

// productTTL is how long an enablement answer is trusted. Enabling a product is rare and its
// data starts at that moment anyway, so a few minutes of delay costs nothing, while a dashboard
// refreshing every 10 s would otherwise ask again for every panel.
const productTTL = 5 * time.Minute

// maxCachedAnswers bounds each of a client's answer caches (products, users).
const maxCachedAnswers = 10000

// CheckProduct returns nil when product is enabled on the service, a *ProductDisabledError
// when Fastly says it is not (GET /enabled-products/v1/{product}/services/{id} answers 400
// "no product on service"), and any other failure as it came. Answers, both ways, are cached
// for a few minutes; failures are not.
func (c *Client) CheckProduct(ctx context.Context, product Product, serviceID string) error {
	if _, ok := productNames[product]; !ok {
		return fmt.Errorf("unknown Fastly product %q", product)
	}
	if !ValidID(serviceID) {
		return fmt.Errorf("%q is not a Fastly service id", serviceID)
	}
	key := string(product) + "\x00" + serviceID
	enabled, ok := c.products.get(key)
	if !ok {
		var err error
		if enabled, err = c.fetchProduct(ctx, product, serviceID); err != nil {
			return err
		}
		c.products.put(key, enabled)
	}
	if !enabled {
		return &ProductDisabledError{Product: product, ServiceID: serviceID}
	}
	return nil
}

// fetchProduct asks Fastly once. Only the documented "no product on service" answer means
// disabled: another 400 or a 404 is a real failure and is reported as such.
func (c *Client) fetchProduct(ctx context.Context, product Product, serviceID string) (bool, error) {
	path := "/enabled-products/v1/" + url.PathEscape(string(product)) + "/services/" + url.PathEscape(serviceID)
	_, err := c.getAPI(ctx, path, nil)
	if err == nil {
		return true, nil
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Status == http.StatusBadRequest &&
		strings.Contains(strings.ToLower(apiErr.Message), "no product on service") {
		return false, nil
	}
	return false, err
}

// ValidID reports whether id has the shape of a Fastly id (service, user, ...): letters and
// digits, at most 64. Checked before an id goes into a URL path, so nothing odd reaches one.
func ValidID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
