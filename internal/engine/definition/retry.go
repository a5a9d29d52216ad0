package definition

import (
	"fmt"
	"strconv"
	"time"
)

// Limits of a retry policy.
const (
	MaxRetryAttempts       = 20
	MaxRetryExpireAfterMin = 14400
	MaxRetryInterval       = 43200
)

// RetryPolicy is one entry of a step's RetryPolicies: which failures to
// retry and how. Exactly one of MaxAttempts and ExpireAfterMin is set
// (greater than zero).
type RetryPolicy struct {
	// ExceptionType lists the failures the policy retries:
	// Step.SERVICE_FAULT, Step.THROTTLING, SageMaker.JOB_INTERNAL_ERROR,
	// SageMaker.CAPACITY_ERROR, SageMaker.RESOURCE_LIMIT.
	ExceptionType []string
	// IntervalSeconds is the wait before the first retry (0–43200; 1 when
	// absent).
	IntervalSeconds int
	// BackoffRate multiplies the wait after each retry (≥ 0; 2.0 when
	// absent).
	BackoffRate float64
	// MaxAttempts caps the number of retries (1–20), or is 0.
	MaxAttempts int
	// ExpireAfterMin caps the time spent retrying, in minutes (1–14400),
	// or is 0.
	ExpireAfterMin int
}

func isRetryException(s string) bool {
	switch s {
	case "Step.SERVICE_FAULT", "Step.THROTTLING", "SageMaker.JOB_INTERNAL_ERROR",
		"SageMaker.CAPACITY_ERROR", "SageMaker.RESOURCE_LIMIT":
		return true
	}
	return false
}

const retryExceptionList = "Step.SERVICE_FAULT, Step.THROTTLING, SageMaker.JOB_INTERNAL_ERROR, SageMaker.CAPACITY_ERROR, SageMaker.RESOURCE_LIMIT"

// parseRetryPolicies decodes and validates a step's RetryPolicies.
func parseRetryPolicies(step string, v any) ([]RetryPolicy, error) {
	items, err := asList(v)
	if err != nil {
		return nil, stepErrorf(step, "RetryPolicies of step %q must be a list.", step)
	}
	var out []RetryPolicy
	for i, item := range items {
		fields, err := asObject(item)
		if err != nil || fields == nil {
			return nil, stepErrorf(step, "RetryPolicies[%d] of step %q must be an object.", i, step)
		}
		p := RetryPolicy{IntervalSeconds: 1, BackoffRate: 2}
		bad := func(format string, args ...any) error {
			return stepErrorf(step, "RetryPolicies[%d] of step %q: %s", i, step, fmt.Sprintf(format, args...))
		}
		if p.ExceptionType, err = asStrings(fields["ExceptionType"]); err != nil || len(p.ExceptionType) == 0 {
			return nil, bad("ExceptionType must be a non-empty list of: %s.", retryExceptionList)
		}
		for _, e := range p.ExceptionType {
			if !isRetryException(e) {
				return nil, bad("ExceptionType %q is not valid; valid types: %s.", e, retryExceptionList)
			}
		}
		if v := fields["IntervalSeconds"]; v != nil {
			n, ok := asInt(v)
			if !ok || n < 0 || n > MaxRetryInterval {
				return nil, bad("IntervalSeconds must be an integer from 0 to %d.", MaxRetryInterval)
			}
			p.IntervalSeconds = int(n)
		}
		if v := fields["BackoffRate"]; v != nil {
			f, ok := asFloat(v)
			if !ok || f < 0 {
				return nil, bad("BackoffRate must be a number of at least 0.")
			}
			p.BackoffRate = f
		}
		hasMax, hasExpire := fields["MaxAttempts"] != nil, fields["ExpireAfterMin"] != nil
		switch {
		case hasMax && hasExpire:
			return nil, bad("give MaxAttempts or ExpireAfterMin, not both.")
		case !hasMax && !hasExpire:
			return nil, bad("give one of MaxAttempts and ExpireAfterMin.")
		case hasMax:
			n, ok := asInt(fields["MaxAttempts"])
			if !ok || n < 1 || n > MaxRetryAttempts {
				return nil, bad("MaxAttempts must be an integer from 1 to %d.", MaxRetryAttempts)
			}
			p.MaxAttempts = int(n)
		default:
			n, ok := asInt(fields["ExpireAfterMin"])
			if !ok || n < 1 || n > MaxRetryExpireAfterMin {
				return nil, bad("ExpireAfterMin must be an integer from 1 to %d.", MaxRetryExpireAfterMin)
			}
			p.ExpireAfterMin = int(n)
		}
		out = append(out, p)
	}
	return out, nil
}

// CacheConfig is a step's CacheConfig: whether a successful earlier run of
// the step with the same resolved arguments may be reused, and for how
// long.
type CacheConfig struct {
	Enabled bool
	// ExpireAfter is the ISO-8601 duration as written ("P30D", "PT1H"), or
	// "" when absent.
	ExpireAfter string
	// Expiry is ExpireAfter parsed; the zero Duration when absent.
	Expiry Duration
}

func parseCacheConfig(step string, v any) (*CacheConfig, error) {
	fields, err := asObject(v)
	if err != nil {
		return nil, stepErrorf(step, "CacheConfig of step %q must be an object.", step)
	}
	if fields == nil {
		return nil, nil
	}
	c := &CacheConfig{}
	if v := fields["Enabled"]; v != nil {
		var ok bool
		if c.Enabled, ok = v.(bool); !ok {
			return nil, stepErrorf(step, "CacheConfig.Enabled of step %q must be true or false.", step)
		}
	}
	if err := asString(fields["ExpireAfter"], &c.ExpireAfter); err != nil {
		return nil, stepErrorf(step, "CacheConfig.ExpireAfter of step %q must be an ISO-8601 duration such as P30D or PT1H.", step)
	}
	if c.ExpireAfter != "" {
		d, err := ParseDuration(c.ExpireAfter)
		if err != nil {
			return nil, stepErrorf(step, "CacheConfig.ExpireAfter %q of step %q is not an ISO-8601 duration such as P30D or PT1H: %v.", truncate(c.ExpireAfter, 64), step, err)
		}
		c.Expiry = d
	}
	return c, nil
}

// Duration is an ISO-8601 duration: PnYnMnWnDTnHnMnS. Years, months and
// days are calendar units, so a Duration is added to a time rather than
// converted to a fixed length.
type Duration struct {
	Years, Months, Weeks, Days, Hours, Minutes int
	Seconds                                    float64
}

// IsZero reports whether d is empty.
func (d Duration) IsZero() bool { return d == Duration{} }

// AddTo returns t plus d: years, months, weeks and days by the calendar of
// t's location, then hours, minutes and seconds as elapsed time.
func (d Duration) AddTo(t time.Time) time.Time {
	t = t.AddDate(d.Years, d.Months, 7*d.Weeks+d.Days)
	return t.Add(time.Duration(d.Hours)*time.Hour + time.Duration(d.Minutes)*time.Minute +
		time.Duration(d.Seconds*float64(time.Second)))
}

// ParseDuration parses an ISO-8601 duration such as "P30D", "PT1H",
// "P1Y2M3DT4H5M6.5S" or "P2W". Components are non-negative integers of up
// to 9 digits (seconds may have a fraction), in order, each at most once;
// at least one is required.
func ParseDuration(s string) (Duration, error) {
	var d Duration
	if len(s) < 2 || s[0] != 'P' {
		return d, fmt.Errorf("it must start with P")
	}
	const dateUnits, timeUnits = "YMWD", "HMS"
	units, next, inTime, found := dateUnits, 0, false, false
	for i := 1; i < len(s); {
		if s[i] == 'T' {
			if inTime || i == len(s)-1 {
				return d, fmt.Errorf("misplaced T")
			}
			units, next, inTime = timeUnits, 0, true
			i++
			continue
		}
		j := i
		for j < len(s) && ('0' <= s[j] && s[j] <= '9' || s[j] == '.') {
			j++
		}
		if j == i || j == len(s) {
			return d, fmt.Errorf("a number must be followed by a unit")
		}
		num, unit := s[i:j], s[j]
		k := next
		for k < len(units) && units[k] != unit {
			k++
		}
		if k == len(units) {
			return d, fmt.Errorf("unit %q is unknown or out of order", unit)
		}
		next = k + 1
		found = true
		if inTime && unit == 'S' {
			if !isDecimal(num) || len(num) > 18 {
				return d, fmt.Errorf("bad seconds %q", num)
			}
			d.Seconds, _ = strconv.ParseFloat(num, 64)
		} else {
			if len(num) > 9 || num[0] == '.' || num[len(num)-1] == '.' || containsByte(num, '.') {
				return d, fmt.Errorf("bad number %q", num)
			}
			n, _ := strconv.Atoi(num)
			switch {
			case !inTime && unit == 'Y':
				d.Years = n
			case !inTime && unit == 'M':
				d.Months = n
			case unit == 'W':
				d.Weeks = n
			case unit == 'D':
				d.Days = n
			case unit == 'H':
				d.Hours = n
			default:
				d.Minutes = n
			}
		}
		i = j + 1
	}
	if !found {
		return d, fmt.Errorf("it has no components")
	}
	return d, nil
}

func containsByte(s string, b byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == b {
			return true
		}
	}
	return false
}
