package sigv4

import (
	"strconv"
	"time"
)

// amzDateLen is the length of an ISO 8601 basic format time stamp as used
// by X-Amz-Date: 20150830T123600Z.
const amzDateLen = len("20060102T150405Z")

// parseAmzDate parses an X-Amz-Date value. It accepts exactly the form
// yyyymmddThhmmssZ, so that formatting the result with appendAmzDate gives
// the input back.
func parseAmzDate(s string) (time.Time, bool) {
	if len(s) != amzDateLen || s[8] != 'T' || s[15] != 'Z' {
		return time.Time{}, false
	}
	year, ok1 := atoi(s[0:4])
	month, ok2 := atoi(s[4:6])
	day, ok3 := atoi(s[6:8])
	hour, ok4 := atoi(s[9:11])
	minute, ok5 := atoi(s[11:13])
	sec, ok6 := atoi(s[13:15])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) ||
		month < 1 || month > 12 || day < 1 || day > daysIn(time.Month(month), year) ||
		hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC), true
}

// atoi parses a short string of decimal digits.
func atoi(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// appendAmzDate appends t in UTC in the form yyyymmddThhmmssZ.
func appendAmzDate(b []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	b = append4(b, year)
	b = append2(b, int(month))
	b = append2(b, day)
	b = append(b, 'T')
	b = append2(b, hour)
	b = append2(b, minute)
	b = append2(b, sec)
	return append(b, 'Z')
}

// formatAmzDate returns t in UTC in the form yyyymmddThhmmssZ.
func formatAmzDate(t time.Time) string {
	var buf [amzDateLen]byte
	return string(appendAmzDate(buf[:0], t))
}

func append2(b []byte, n int) []byte {
	return append(b, byte('0'+n/10%10), byte('0'+n%10))
}

func append4(b []byte, n int) []byte {
	if n < 0 || n > 9999 {
		n = 0 // outside what X-Amz-Date can carry; the signature will not match
	}
	return append(b, byte('0'+n/1000), byte('0'+n/100%10), byte('0'+n/10%10), byte('0'+n%10))
}

// skewMinutes formats a duration as AWS does in skew messages ("15").
func skewMinutes(d time.Duration) string {
	return strconv.FormatFloat(d.Minutes(), 'f', -1, 64)
}
