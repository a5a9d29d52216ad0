package s3

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// checkBucketName applies S3's naming rules for general purpose buckets.
func checkBucketName(name string) error {
	if len(name) < 3 || len(name) > 63 {
		return errInvalidBucketName(name)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '-') {
			return errInvalidBucketName(name)
		}
	}
	if !alnum(name[0]) || !alnum(name[len(name)-1]) || strings.Contains(name, "..") ||
		strings.Contains(name, ".-") || strings.Contains(name, "-.") || net.ParseIP(name) != nil {
		return errInvalidBucketName(name)
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return errInvalidBucketName(name)
		}
	}
	for _, suffix := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, suffix) {
			return errInvalidBucketName(name)
		}
	}
	return nil
}

func alnum(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

// maxKeyBytes is the longest object key S3 accepts.
const maxKeyBytes = 1024

// checkKey rejects keys S3 cannot store.
func checkKey(key string) error {
	if len(key) > maxKeyBytes {
		return s3Error(http.StatusBadRequest, "KeyTooLongError", "Your key is too long").
			With("Size", itoa(len(key))).With("MaxSizeAllowed", itoa(maxKeyBytes))
	}
	if !utf8.ValidString(key) {
		return s3Error(http.StatusBadRequest, "InvalidURI", "Couldn't parse the specified URI.")
	}
	return nil
}

// checkObjectName validates a bucket and key named by a request.
func checkObjectName(bucket, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := checkBucketName(bucket); err != nil {
		return errNoSuchBucket(bucket)
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }
