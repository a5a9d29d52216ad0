package operation

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
)

// Pagination is one mechanism for every service, whatever its members are called
// (Marker/MaxItems, NextToken/MaxResults). Tokens are opaque to clients: the base64url form
// of "k:<key>", to continue after the record with that key in a list read in key order, or
// "i:<n>", to continue after the n-th item of a list built in memory.

// ErrInvalidToken is a pagination token this mechanism did not issue. Services answer it in
// their own spelling (IAM's "Invalid Marker.", SageMaker's ValidationException).
var ErrInvalidToken = errors.New("operation: invalid pagination token")

func encodeToken(kind, v string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + v))
}

func decodeToken(token, kind string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return "", ErrInvalidToken
	}
	v, ok := strings.CutPrefix(string(raw), kind+":")
	if !ok {
		return "", ErrInvalidToken
	}
	return v, nil
}

// AfterKey returns the key a token from Keyed continues after; "" for no token (the first
// page).
func AfterKey(token string) (string, error) {
	if token == "" {
		return "", nil
	}
	return decodeToken(token, "k")
}

// Keyed trims items, read in key order from the key AfterKey gave with one more than limit
// asked for, to one page, and returns the token of the next page ("" when the list ends).
func Keyed[T any](items []T, limit int, key func(T) string) ([]T, string) {
	if len(items) <= limit {
		return items, ""
	}
	items = items[:limit]
	return items, encodeToken("k", key(items[limit-1]))
}

// Offset returns the position a token from Slice or OffsetToken continues at; 0 for no
// token (the first page).
func Offset(token string) (int, error) {
	if token == "" {
		return 0, nil
	}
	v, err := decodeToken(token, "i")
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, ErrInvalidToken
	}
	return n, nil
}

// OffsetToken is the token of the page that starts at position n of a list, for lists a
// store reads a page at a time by position (its tokens are Slice's).
func OffsetToken(n int) string { return encodeToken("i", strconv.Itoa(n)) }

// Slice returns the page of items (a list built in memory, in its final order) that token
// asks for, at most limit long, and the token of the next page ("" when the list ends).
func Slice[T any](items []T, token string, limit int) ([]T, string, error) {
	start, err := Offset(token)
	if err != nil {
		return nil, "", err
	}
	start = min(start, len(items))
	end := start + limit
	if limit <= 0 || end >= len(items) {
		return items[start:], "", nil
	}
	return items[start:end], OffsetToken(end), nil
}
