package auth

import (
	"fmt"
	"io"
)

const (
	keyIDAlphabet  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	secretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)

// NewAccessKeyID returns a 20-character key ID with prefix ("AKIA" long-term, "ASIA"
// temporary) drawn from random.
func NewAccessKeyID(random io.Reader, prefix string) (string, error) {
	s, err := RandomString(random, keyIDAlphabet, 20-len(prefix))
	if err != nil {
		return "", err
	}
	return prefix + s, nil
}

// NewSecretAccessKey returns a 40-character secret drawn from random.
func NewSecretAccessKey(random io.Reader) (string, error) {
	return RandomString(random, secretAlphabet, 40)
}

// RandomString draws n characters of alphabet from random, without bias.
func RandomString(random io.Reader, alphabet string, n int) (string, error) {
	out := make([]byte, 0, n)
	limit := 256 - 256%len(alphabet)
	buf := make([]byte, n)
	for len(out) < n {
		if _, err := io.ReadFull(random, buf); err != nil {
			return "", fmt.Errorf("read random: %w", err)
		}
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out), nil
}
