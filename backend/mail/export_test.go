package mail

import "crypto/x509"

// TrustForTest makes Send trust the certificates of pool (a test's own SMTP
// server) instead of the system's, until the test ends.
func TrustForTest(cleanup func(func()), pool *x509.CertPool) {
	rootCAs = pool
	cleanup(func() { rootCAs = nil })
}
