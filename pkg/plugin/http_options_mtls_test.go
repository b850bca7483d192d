package plugin

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// testCA is a certificate authority made for one test: it signs the server's and the clients'
// certificates, so nothing depends on files or the machine's trust store.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  string
}

func newTestCA(t *testing.T, name string) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return &testCA{cert: cert, key: key, pem: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))}
}

// issue signs a leaf certificate for a server (on 127.0.0.1) or a client, and returns it with
// its key, both in PEM as Grafana's TLS fields hold them.
func (ca *testCA) issue(t *testing.T, name string, usage x509.ExtKeyUsage) (certPEM, keyPEM string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{usage},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	require.NoError(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))
}

// mtlsSim is the simulator behind HTTPS that requires a client certificate signed by ca.
func mtlsSim(t *testing.T, ca *testCA) string {
	t.Helper()
	certPEM, keyPEM := ca.issue(t, "fastly-sim", x509.ExtKeyUsageServerAuth)
	serverCert, err := tls.X509KeyPair([]byte(certPEM), []byte(keyPEM))
	require.NoError(t, err)
	clients := x509.NewCertPool()
	clients.AddCert(ca.cert)
	srv := httptest.NewUnstartedServer(fastlysim.New(fastlysim.Config{Token: simToken, Now: func() time.Time { return simNow }}))
	srv.TLS = &tls.Config{
		Certificates: []tls.Certificate{serverCert},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    clients,
		MinVersion:   tls.VersionTLS12,
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestConnectionSettingsTLSClientCertificate: with "TLS client authentication" on, the data
// source presents the configured certificate, and a server that requires one lets it in; without
// one, or with one the server does not trust, the call fails as a TLS failure. (With a CA
// configured, the SDK sends a stored client certificate even when "TLS client authentication"
// is off: that is the SDK's reading of the settings, not tested here.)
func TestConnectionSettingsTLSClientCertificate(t *testing.T) {
	ca := newTestCA(t, "grafana-test-ca")
	url := mtlsSim(t, ca)
	clientCert, clientKey := ca.issue(t, "grafana", x509.ExtKeyUsageClientAuth)
	stranger := newTestCA(t, "someone-else")
	strangerCert, strangerKey := stranger.issue(t, "grafana", x509.ExtKeyUsageClientAuth)

	runTLSCases(t, url, []connectionCase{
		{"the configured client certificate is accepted",
			map[string]any{"tlsAuth": true, "tlsAuthWithCACert": true},
			map[string]string{"tlsCACert": ca.pem, "tlsClientCert": clientCert, "tlsClientKey": clientKey}, true},
		{"no client certificate is refused",
			map[string]any{"tlsAuthWithCACert": true},
			map[string]string{"tlsCACert": ca.pem}, false},
		{"a certificate from a CA the server does not trust is refused",
			map[string]any{"tlsAuth": true, "tlsAuthWithCACert": true},
			map[string]string{"tlsCACert": ca.pem, "tlsClientCert": strangerCert, "tlsClientKey": strangerKey}, false},
	})
}
