// Package sigv4 verifies AWS Signature Version 4 (AWS4-HMAC-SHA256)
// signatures on incoming HTTP requests, the server side of what the AWS
// SDKs and CLI sign.
//
// Verification takes two steps, with the caller's key lookup between them:
//
//	sig, err := sigv4.Parse(r)
//	// ... look up the secret key for sig.AccessKeyID (and check
//	// sig.SessionToken, sig.Scope) ...
//	res, err := verifier.Verify(r, sig, secret, body)
//
// Both the Authorization header form and the presigned (query string) form
// are supported, as are the payload kinds S3 clients send: a hex SHA-256,
// UNSIGNED-PAYLOAD, and the aws-chunked encodings
// STREAMING-AWS4-HMAC-SHA256-PAYLOAD,
// STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER and
// STREAMING-UNSIGNED-PAYLOAD-TRAILER, which [Result.Body] decodes and
// verifies while streaming.
//
// S3's Signature Version 2 (HMAC-SHA1), which the AWS CLI v1 still uses for
// presigned URLs, is verified too, in its header and query forms; see
// [Signature.V2].
//
// # Canonical request
//
// The canonical URI is computed from the path exactly as the client sent
// it (r.RequestURI, else r.URL.EscapedPath). For S3 it is that path; for
// every other service the path has its "." and ".." segments resolved and
// duplicate slashes collapsed, and is percent-encoded a second time.
// Because not every client normalizes, the unnormalized form is tried too
// when the two differ. The canonical query decodes each parameter ('+' as
// space) and encodes it again with only unreserved bytes left as they are.
// Header values are trimmed, inner blanks collapsed and repeated headers
// joined with ','; host comes from r.Host and content-length, if signed
// and absent from r.Header, from r.ContentLength.
//
// Errors are of type *[Error]; their [Code] tells why authentication failed.
package sigv4
