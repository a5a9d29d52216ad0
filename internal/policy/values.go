package policy

import (
	"strconv"
	"time"
)

// Typed condition values: numbers, dates and booleans, parsed without
// allocating so that request values can be parsed on every evaluation.

// parseNumber parses a decimal integer or fraction, with an optional sign
// and exponent. Hexadecimal, "Inf" and "NaN" are not numbers here.
func parseNumber(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	digits := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			digits = true
		case c == '.' || c == 'e' || c == 'E':
		case (c == '+' || c == '-') && (i == 0 || s[i-1] == 'e' || s[i-1] == 'E'):
		default:
			return 0, false
		}
	}
	if !digits {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return f, true
}

// instant is a point in time: seconds since the Unix epoch and
// nanoseconds.
type instant struct {
	sec  int64
	nsec int64
}

func (a instant) cmp(b instant) int {
	switch {
	case a.sec < b.sec:
		return -1
	case a.sec > b.sec:
		return 1
	case a.nsec < b.nsec:
		return -1
	case a.nsec > b.nsec:
		return 1
	}
	return 0
}

// parseDate parses a date condition value: epoch seconds ("1700000000",
// optionally with a fraction) or one of the W3C profiles of ISO 8601:
// YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mm, YYYY-MM-DDThh:mm:ss and
// YYYY-MM-DDThh:mm:ss.s, followed by Z, ±hh:mm, ±hhmm or nothing (UTC).
func parseDate(s string) (instant, bool) {
	if s == "" {
		return instant{}, false
	}
	if isEpoch(s) {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return instant{}, false
		}
		sec := int64(f)
		return instant{sec: sec, nsec: int64((f - float64(sec)) * 1e9)}, true
	}
	p := dateParser{s: s, ok: true}
	year := p.digits(4)
	month, day := 1, 1
	var hour, minute, second, nsec int
	if p.ok && p.more() {
		p.expect('-')
		month = p.digits(2)
		if p.ok && p.more() {
			p.expect('-')
			day = p.digits(2)
			if p.ok && p.more() {
				if c := p.peek(); c == 'T' || c == 't' || c == ' ' {
					p.i++
					hour = p.digits(2)
					p.expect(':')
					minute = p.digits(2)
					if p.ok && p.more() && p.peek() == ':' {
						p.i++
						second = p.digits(2)
						if p.ok && p.more() && p.peek() == '.' {
							p.i++
							nsec = p.fraction()
						}
					}
				}
			}
		}
	}
	offset := 0
	if p.ok && p.more() {
		switch p.peek() {
		case 'Z', 'z':
			p.i++
		case '+', '-':
			sign := 1
			if p.peek() == '-' {
				sign = -1
			}
			p.i++
			oh := p.digits(2)
			if p.ok && p.more() && p.peek() == ':' {
				p.i++
			}
			om := p.digits(2)
			if oh > 23 || om > 59 {
				p.ok = false
			}
			offset = sign * (oh*3600 + om*60)
		default:
			p.ok = false
		}
	}
	if !p.ok || p.more() {
		return instant{}, false
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) ||
		hour > 24 || minute > 59 || second > 60 || (hour == 24 && (minute|second|nsec) != 0) {
		return instant{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, second, nsec, time.UTC)
	return instant{sec: t.Unix() - int64(offset), nsec: int64(t.Nanosecond())}, true
}

func isEpoch(s string) bool {
	dot := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
		case c == '.' && !dot && i > 0:
			dot = true
		case c == '-' && i == 0 && len(s) > 1:
		default:
			return false
		}
	}
	// A bare four-digit year is a date, not an epoch time.
	return len(s) != 4 || dot
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

type dateParser struct {
	s  string
	i  int
	ok bool
}

func (p *dateParser) more() bool { return p.i < len(p.s) }
func (p *dateParser) peek() byte { return p.s[p.i] }

func (p *dateParser) expect(c byte) {
	if !p.ok {
		return
	}
	if p.i >= len(p.s) || p.s[p.i] != c {
		p.ok = false
		return
	}
	p.i++
}

func (p *dateParser) digits(n int) int {
	if !p.ok || p.i+n > len(p.s) {
		p.ok = false
		return 0
	}
	v := 0
	for j := p.i; j < p.i+n; j++ {
		c := p.s[j]
		if c < '0' || c > '9' {
			p.ok = false
			return 0
		}
		v = v*10 + int(c-'0')
	}
	p.i += n
	return v
}

// fraction reads fractional seconds and returns them in nanoseconds.
func (p *dateParser) fraction() int {
	start := p.i
	v, scale := 0, 100000000
	for p.i < len(p.s) && '0' <= p.s[p.i] && p.s[p.i] <= '9' {
		v += int(p.s[p.i]-'0') * scale
		scale /= 10
		p.i++
	}
	if p.i == start {
		p.ok = false
	}
	return v
}

// parseBool parses "true" or "false" in any case.
func parseBool(s string) (bool, bool) {
	switch {
	case len(s) == 4 && hasPrefix(s, "true", true):
		return true, true
	case len(s) == 5 && hasPrefix(s, "false", true):
		return false, true
	}
	return false, false
}
