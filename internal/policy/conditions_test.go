package policy_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cairnhq/cairn/internal/policy"
)

// condCase tests one operator and key: the policy values (raw JSON)
// against the request's value of the key.
type condCase struct {
	op     string
	key    string
	values string
	req    any // nil: absent; string: one value; []string: multi-valued
	want   bool
}

// absent is a request with the key missing.
var absent any

// evalCondition evaluates an identity policy allowing s3:GetObject under
// the one condition. The context always holds aws:username=alice,
// aws:PrincipalTag/team=ml, svc:flag=true and svc:star=a*.
func evalCondition(t *testing.T, version string, c condCase) bool {
	t.Helper()
	d := fmt.Sprintf(`{"Version":%q,"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{%q:{%q:%s}}}}`,
		version, c.op, c.key, c.values)
	if version == "" {
		d = strings.Replace(d, `"Version":"",`, "", 1)
	}
	pol := mustParse(t, policy.IdentityBased, d)
	ctx := policy.NewContext(map[string]string{
		"aws:username": "alice", "aws:PrincipalTag/team": "ml", "svc:flag": "true", "svc:star": "a*",
	})
	switch v := c.req.(type) {
	case string:
		ctx.Set(c.key, v)
	case []string:
		ctx.SetMulti(c.key, v...)
	}
	req := &policy.Request{Principal: mustPrincipal(t, userA), Action: "s3:GetObject", Resource: objA, Context: ctx}
	dec := policy.Evaluate(req, &policy.Inputs{Identity: []policy.NamedPolicy{{ID: "p", Policy: pol}}})
	return dec.Allowed
}

func isAbsent(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case []string:
		return len(v) == 0
	}
	return false
}

func runCondCases(t *testing.T, version string, cases []condCase) {
	t.Helper()
	for _, c := range cases {
		variants := []condCase{c}
		// Every operator but Null takes IfExists: a missing key then
		// makes the condition true; otherwise nothing changes.
		if !strings.Contains(c.op, "IfExists") && c.op != "Null" {
			v := c
			v.op += "IfExists"
			if isAbsent(c.req) {
				v.want = true
			}
			variants = append(variants, v)
		}
		for _, v := range variants {
			name := fmt.Sprintf("%s/%s=%s/req=%v", v.op, v.key, v.values, v.req)
			t.Run(name, func(t *testing.T) {
				if got := evalCondition(t, version, v); got != v.want {
					t.Errorf("%s %s %s with request %#v = %v, want %v", v.op, v.key, v.values, v.req, got, v.want)
				}
			})
		}
	}
}

const k = "svc:key"

func TestConditionStringOperators(t *testing.T) {
	runCondCases(t, "2012-10-17", []condCase{
		{"StringEquals", k, `"a"`, "a", true},
		{"StringEquals", k, `"a"`, "A", false},
		{"StringEquals", k, `"a"`, "b", false},
		{"StringEquals", k, `"a"`, "", false},
		{"StringEquals", k, `""`, "", true},
		{"StringEquals", k, `"a"`, absent, false},
		{"StringEquals", k, `["a","b"]`, "b", true},
		{"StringEquals", k, `["a","b"]`, "c", false},
		{"StringEquals", k, `"a*"`, "abc", false},
		{"StringEquals", k, `"a*"`, "a*", true},
		{"StringEquals", k, `"a?"`, "ab", false},
		{"StringEquals", k, `"a"`, []string{"a"}, false},
		{"StringEquals", k, `"a"`, []string{"a", "b"}, false},
		{"StringEquals", k, `"a"`, []string{}, false},
		{"StringEquals", k, `10`, "10", true},
		{"StringEquals", k, `true`, "true", true},
		{"StringEquals", "SVC:KEY", `"a"`, "a", true},
		{"StringNotEquals", k, `"a"`, "a", false},
		{"StringNotEquals", k, `"a"`, "b", true},
		{"StringNotEquals", k, `"a"`, "A", true},
		{"StringNotEquals", k, `"a"`, absent, true},
		{"StringNotEquals", k, `["a","b"]`, "c", true},
		{"StringNotEquals", k, `["a","b"]`, "b", false},
		{"StringNotEquals", k, `"a"`, []string{"x", "y"}, false},
		{"StringNotEquals", k, `"a"`, []string{}, true},
		{"StringEqualsIgnoreCase", k, `"Alice"`, "alice", true},
		{"StringEqualsIgnoreCase", k, `"alice"`, "ALICE", true},
		{"StringEqualsIgnoreCase", k, `"alice"`, "bob", false},
		{"StringEqualsIgnoreCase", k, `"alice"`, absent, false},
		{"StringEqualsIgnoreCase", k, `["x","ALICE"]`, "Alice", true},
		{"StringEqualsIgnoreCase", k, `"a*"`, "ABC", false},
		{"StringNotEqualsIgnoreCase", k, `"Alice"`, "alice", false},
		{"StringNotEqualsIgnoreCase", k, `"Alice"`, "bob", true},
		{"StringNotEqualsIgnoreCase", k, `"Alice"`, absent, true},
		{"StringNotEqualsIgnoreCase", k, `["a","b"]`, "B", false},
		{"StringLike", k, `"a*"`, "abc", true},
		{"StringLike", k, `"a*"`, "a", true},
		{"StringLike", k, `"a*"`, "ba", false},
		{"StringLike", k, `"A*"`, "abc", false},
		{"StringLike", k, `"a?c"`, "abc", true},
		{"StringLike", k, `"a?c"`, "ac", false},
		{"StringLike", k, `"a?c"`, "abbc", false},
		{"StringLike", k, `"*"`, "", true},
		{"StringLike", k, `"*"`, "anything/at:all", true},
		{"StringLike", k, `"home/*"`, "home/x/y", true},
		{"StringLike", k, `"home/*"`, "home", false},
		{"StringLike", k, `"*.txt"`, "a.txt", true},
		{"StringLike", k, `"*.txt"`, "a.txtx", false},
		{"StringLike", k, `"*a*b*c*"`, "xxaxxbxxcxx", true},
		{"StringLike", k, `"*a*b*c*"`, "xxcxxbxxaxx", false},
		{"StringLike", k, `"a*b*b"`, "abbbb", true},
		{"StringLike", k, `"a*b*b"`, "abab", true},
		{"StringLike", k, `"a*b*b"`, "abba", false},
		{"StringLike", k, `"??"`, "éx", true},
		{"StringLike", k, `"x*"`, absent, false},
		{"StringLike", k, `["x*","y*"]`, "yz", true},
		{"StringLike", k, `["x*","y*"]`, "zz", false},
		{"StringLike", k, `""`, "", true},
		{"StringLike", k, `""`, "a", false},
		{"StringLike", k, `"a*"`, []string{"ab"}, false},
		{"StringNotLike", k, `"a*"`, "abc", false},
		{"StringNotLike", k, `"a*"`, "bcd", true},
		{"StringNotLike", k, `"a*"`, absent, true},
		{"StringNotLike", k, `["x*","y*"]`, "yz", false},
		{"StringNotLike", k, `["x*","y*"]`, "zz", true},
		{"StringNotLike", k, `"a*"`, []string{"b", "c"}, false},
	})
}

func TestConditionNumericOperators(t *testing.T) {
	runCondCases(t, "2012-10-17", []condCase{
		{"NumericEquals", k, `"10"`, "10", true},
		{"NumericEquals", k, `"10"`, "10.0", true},
		{"NumericEquals", k, `"10"`, "1e1", true},
		{"NumericEquals", k, `10`, "10", true},
		{"NumericEquals", k, `"10"`, "11", false},
		{"NumericEquals", k, `"10"`, "abc", false},
		{"NumericEquals", k, `"10"`, "", false},
		{"NumericEquals", k, `"10"`, "0x0a", false},
		{"NumericEquals", k, `"10"`, absent, false},
		{"NumericEquals", k, `["5","10"]`, "5", true},
		{"NumericEquals", k, `"abc"`, "0", false},
		{"NumericEquals", k, `"-3.5"`, "-3.5", true},
		{"NumericNotEquals", k, `"10"`, "11", true},
		{"NumericNotEquals", k, `"10"`, "10", false},
		{"NumericNotEquals", k, `"10"`, absent, true},
		{"NumericNotEquals", k, `"10"`, "abc", false},
		{"NumericNotEquals", k, `["10","11"]`, "11", false},
		{"NumericNotEquals", k, `["10","11"]`, "12", true},
		{"NumericLessThan", k, `"10"`, "9", true},
		{"NumericLessThan", k, `"10"`, "9.99", true},
		{"NumericLessThan", k, `"10"`, "-1", true},
		{"NumericLessThan", k, `"10"`, "10", false},
		{"NumericLessThan", k, `"10"`, "11", false},
		{"NumericLessThan", k, `"10"`, absent, false},
		{"NumericLessThan", k, `["5","10"]`, "7", true},
		{"NumericLessThanEquals", k, `"10"`, "10", true},
		{"NumericLessThanEquals", k, `"10"`, "9", true},
		{"NumericLessThanEquals", k, `"10"`, "10.5", false},
		{"NumericGreaterThan", k, `"10"`, "11", true},
		{"NumericGreaterThan", k, `"10"`, "10", false},
		{"NumericGreaterThan", k, `"10"`, "9", false},
		{"NumericGreaterThan", k, `"10"`, absent, false},
		{"NumericGreaterThanEquals", k, `"10"`, "10", true},
		{"NumericGreaterThanEquals", k, `"10"`, "100", true},
		{"NumericGreaterThanEquals", k, `"10"`, "9", false},
		{"NumericLessThan", k, `"10"`, []string{"1"}, false},
	})
}

func TestConditionDateOperators(t *testing.T) {
	const (
		jan1    = `"2024-01-01T00:00:00Z"`
		june1   = `"2024-06-01T00:00:00Z"`
		june1E  = `"1717200000"`
		june1EN = `1717200000`
	)
	runCondCases(t, "2012-10-17", []condCase{
		{"DateEquals", k, jan1, "2024-01-01T00:00:00Z", true},
		{"DateEquals", k, jan1, "2024-01-01T00:00:00.000Z", true},
		{"DateEquals", k, jan1, "2024-01-01T01:00:00+01:00", true},
		{"DateEquals", k, jan1, "2023-12-31T19:00:00-0500", true},
		{"DateEquals", k, jan1, "2024-01-01", true},
		{"DateEquals", k, jan1, "2024-01", true},
		{"DateEquals", k, jan1, "2024", true},
		{"DateEquals", k, jan1, "2024-01-01T00:00Z", true},
		{"DateEquals", k, jan1, "1704067200", true},
		{"DateEquals", k, jan1, "2024-01-01T00:00:01Z", false},
		{"DateEquals", k, jan1, "2024-01-02T00:00:00Z", false},
		{"DateEquals", k, jan1, "not-a-date", false},
		{"DateEquals", k, jan1, "2024-13-01", false},
		{"DateEquals", k, jan1, "2024-02-30", false},
		{"DateEquals", k, jan1, absent, false},
		{"DateEquals", k, `"2024-01-01"`, "2024-01-01T00:00:00Z", true},
		{"DateEquals", k, `["2023-01-01T00:00:00Z",` + jan1 + `]`, "2024-01-01T00:00:00Z", true},
		{"DateNotEquals", k, jan1, "2024-01-02T00:00:00Z", true},
		{"DateNotEquals", k, jan1, "2024-01-01T00:00:00Z", false},
		{"DateNotEquals", k, jan1, absent, true},
		{"DateNotEquals", k, jan1, "garbage", false},
		{"DateLessThan", k, june1, "2024-05-31T23:59:59Z", true},
		{"DateLessThan", k, june1, "2024-05-31T23:59:59.999Z", true},
		{"DateLessThan", k, june1, "2024-06-01T00:00:00Z", false},
		{"DateLessThan", k, june1, "2025-01-01T00:00:00Z", false},
		{"DateLessThan", k, june1, "1717199999", true},
		{"DateLessThan", k, june1, absent, false},
		{"DateLessThan", k, june1E, "2024-05-31T23:59:59Z", true},
		{"DateLessThan", k, june1EN, "2024-06-01T00:00:00Z", false},
		{"DateLessThanEquals", k, june1, "2024-06-01T00:00:00Z", true},
		{"DateLessThanEquals", k, june1, "2024-06-01T00:00:01Z", false},
		{"DateGreaterThan", k, june1, "2024-06-01T00:00:01Z", true},
		{"DateGreaterThan", k, june1, "2024-06-01T00:00:00Z", false},
		{"DateGreaterThan", k, june1, "2024-06-01T02:00:00+02:00", false},
		{"DateGreaterThan", k, june1, "1717200001", true},
		{"DateGreaterThanEquals", k, june1, "2024-06-01T00:00:00Z", true},
		{"DateGreaterThanEquals", k, june1, "2024-05-01T00:00:00Z", false},
		{"DateGreaterThanEquals", k, june1E, "2024-06-01T00:00:00Z", true},
		{"DateLessThan", k, `"not-a-date"`, "2024-05-01T00:00:00Z", false},
	})
}

func TestConditionBoolBinaryIPOperators(t *testing.T) {
	runCondCases(t, "2012-10-17", []condCase{
		{"Bool", k, `"true"`, "true", true},
		{"Bool", k, `"true"`, "TRUE", true},
		{"Bool", k, `"true"`, "false", false},
		{"Bool", k, `"false"`, "false", true},
		{"Bool", k, `"false"`, "true", false},
		{"Bool", k, `true`, "true", true},
		{"Bool", k, `false`, "false", true},
		{"Bool", k, `"true"`, "yes", false},
		{"Bool", k, `"true"`, "1", false},
		{"Bool", k, `"true"`, absent, false},
		{"Bool", k, `"false"`, absent, false},
		{"Bool", k, `"${svc:flag}"`, "true", true},
		{"Bool", k, `"${svc:flag}"`, "false", false},
		{"BinaryEquals", k, `"QmluYXJ5VmFsdWU="`, "QmluYXJ5VmFsdWU=", true},
		{"BinaryEquals", k, `"QmluYXJ5VmFsdWU="`, "QmluYXJ5VmFsdWF=", false},
		{"BinaryEquals", k, `"QmluYXJ5VmFsdWU="`, absent, false},
		{"BinaryEquals", k, `["eA==","QmluYXJ5VmFsdWU="]`, "QmluYXJ5VmFsdWU=", true},
		{"IpAddress", k, `"10.0.0.0/8"`, "10.1.2.3", true},
		{"IpAddress", k, `"10.0.0.0/8"`, "11.0.0.1", false},
		{"IpAddress", k, `"10.1.2.0/24"`, "10.1.2.255", true},
		{"IpAddress", k, `"10.1.2.0/24"`, "10.1.3.0", false},
		{"IpAddress", k, `"10.1.2.3/8"`, "10.200.0.1", true},
		{"IpAddress", k, `"203.0.113.5"`, "203.0.113.5", true},
		{"IpAddress", k, `"203.0.113.5"`, "203.0.113.6", false},
		{"IpAddress", k, `"0.0.0.0/0"`, "198.51.100.7", true},
		{"IpAddress", k, `["192.168.0.0/16","10.0.0.0/8"]`, "10.0.0.1", true},
		{"IpAddress", k, `["192.168.0.0/16","10.0.0.0/8"]`, "172.16.0.1", false},
		{"IpAddress", k, `"2001:DB8:1234:5678::/64"`, "2001:db8:1234:5678::1", true},
		{"IpAddress", k, `"2001:db8::/32"`, "2001:db9::1", false},
		{"IpAddress", k, `"2001:db8::1"`, "2001:db8::1", true},
		{"IpAddress", k, `"10.0.0.0/8"`, "2001:db8::1", false},
		{"IpAddress", k, `"2001:db8::/32"`, "10.0.0.1", false},
		{"IpAddress", k, `"10.0.0.0/8"`, "::ffff:10.1.2.3", true},
		{"IpAddress", k, `"10.0.0.0/8"`, "garbage", false},
		{"IpAddress", k, `"not-a-cidr"`, "10.0.0.1", false},
		{"IpAddress", k, `"10.0.0.0/8"`, absent, false},
		{"NotIpAddress", k, `"10.0.0.0/8"`, "10.1.2.3", false},
		{"NotIpAddress", k, `"10.0.0.0/8"`, "11.1.1.1", true},
		{"NotIpAddress", k, `"10.0.0.0/8"`, absent, true},
		{"NotIpAddress", k, `"10.0.0.0/8"`, "garbage", false},
		{"NotIpAddress", k, `["10.0.0.0/8","192.168.0.0/16"]`, "192.168.1.1", false},
		{"NotIpAddress", k, `["10.0.0.0/8","192.168.0.0/16"]`, "8.8.8.8", true},
	})
}

func TestConditionArnOperators(t *testing.T) {
	const role = "arn:aws:iam::123456789012:role/R"
	runCondCases(t, "2012-10-17", []condCase{
		{"ArnEquals", k, `"` + role + `"`, role, true},
		{"ArnEquals", k, `"` + role + `"`, "arn:aws:iam::123456789012:role/r", false},
		{"ArnEquals", k, `"arn:aws:s3:::bucket/*"`, "arn:aws:s3:::bucket/a/b", true},
		{"ArnEquals", k, `"arn:aws:iam::*:role/*"`, role, true},
		{"ArnLike", k, `"arn:aws:iam::*:role/*"`, role, true},
		{"ArnLike", k, `"arn:aws:iam::*:role/*"`, "arn:aws:iam::123456789012:user/R", false},
		{"ArnLike", k, `"arn:aws:iam::1234567890??:role/R"`, role, true},
		{"ArnLike", k, `"arn:*:iam::*:*"`, role, true},
		{"ArnLike", k, `"arn:aws:someservice:*:111122223333:finance/*"`, "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt", false},
		{"ArnLike", k, `"arn:aws:logs:us-east-1:123456789012:log-group:/x:*"`, "arn:aws:logs:us-east-1:123456789012:log-group:/x:log-stream:y", true},
		{"ArnLike", k, `"arn:aws:ec2:us-*:123456789012:instance/*"`, "arn:aws:ec2:us-west-2:123456789012:instance/i-1", true},
		{"ArnLike", k, `"arn:aws:ec2:us-*:123456789012:instance/*"`, "arn:aws:ec2:eu-west-1:123456789012:instance/i-1", false},
		{"ArnLike", k, `"arn:aws:ec2:*:123456789012:instance/*"`, "arn:aws:ec2:us-west-2:000000000000:instance/i-1", false},
		{"ArnLike", k, `"arn:aws:iam::123456789012:role/R"`, "not-an-arn", false},
		{"ArnLike", k, `"arn:aws:iam::123456789012:role/R"`, absent, false},
		{"ArnLike", k, `["arn:aws:iam::1:role/X","arn:aws:iam::*:role/R"]`, role, true},
		{"ArnLike", k, `"*"`, role, true},
		{"ArnNotEquals", k, `"` + role + `"`, role, false},
		{"ArnNotEquals", k, `"` + role + `"`, "arn:aws:iam::123456789012:role/Other", true},
		{"ArnNotEquals", k, `"` + role + `"`, absent, true},
		{"ArnNotLike", k, `"arn:aws:iam::*:role/Admin*"`, "arn:aws:iam::123456789012:role/AdminX", false},
		{"ArnNotLike", k, `"arn:aws:iam::*:role/Admin*"`, "arn:aws:iam::123456789012:role/Dev", true},
		{"ArnNotLike", k, `"arn:aws:iam::*:role/Admin*"`, absent, true},
		{"ArnNotLike", k, `["arn:aws:iam::*:role/A*","arn:aws:iam::*:role/B*"]`, "arn:aws:iam::123456789012:role/Bee", false},
	})
}

func TestConditionNull(t *testing.T) {
	runCondCases(t, "2012-10-17", []condCase{
		{"Null", k, `"true"`, absent, true},
		{"Null", k, `"true"`, "x", false},
		{"Null", k, `"true"`, "", false},
		{"Null", k, `"false"`, "x", true},
		{"Null", k, `"false"`, absent, false},
		{"Null", k, `true`, absent, true},
		{"Null", k, `false`, "x", true},
		{"Null", k, `"true"`, []string{}, true},
		{"Null", k, `"false"`, []string{"a", "b"}, true},
		{"Null", k, `"TRUE"`, absent, true},
		{"Null", k, `["true","false"]`, absent, true},
	})
}

func TestConditionSetOperators(t *testing.T) {
	runCondCases(t, "2012-10-17", []condCase{
		{"ForAllValues:StringEquals", k, `["a","b"]`, []string{"a"}, true},
		{"ForAllValues:StringEquals", k, `["a","b"]`, []string{"a", "b"}, true},
		{"ForAllValues:StringEquals", k, `["a","b"]`, []string{"b", "a", "a"}, true},
		{"ForAllValues:StringEquals", k, `["a","b"]`, []string{"a", "c"}, false},
		{"ForAllValues:StringEquals", k, `["a","b"]`, absent, true},
		{"ForAllValues:StringEquals", k, `["a","b"]`, []string{}, true},
		{"ForAllValues:StringEquals", k, `["a","b"]`, "a", true},
		{"ForAllValues:StringEquals", k, `["a","b"]`, "c", false},
		{"ForAllValues:StringEquals", k, `["a","b"]`, []string{"A"}, false},
		{"ForAnyValue:StringEquals", k, `["a","b"]`, []string{"c", "a"}, true},
		{"ForAnyValue:StringEquals", k, `["a","b"]`, []string{"c"}, false},
		{"ForAnyValue:StringEquals", k, `["a","b"]`, absent, false},
		{"ForAnyValue:StringEquals", k, `["a","b"]`, []string{}, false},
		{"ForAnyValue:StringEquals", k, `["a","b"]`, "b", true},
		{"ForAllValues:StringLike", k, `"a*"`, []string{"ab", "ac"}, true},
		{"ForAllValues:StringLike", k, `"a*"`, []string{"ab", "b"}, false},
		{"ForAnyValue:StringLike", k, `"a*"`, []string{"b", "ab"}, true},
		{"ForAnyValue:StringLike", k, `"a*"`, []string{"b", "c"}, false},
		{"ForAllValues:StringEqualsIgnoreCase", k, `"A"`, []string{"a", "A"}, true},
		{"ForAllValues:StringNotEquals", k, `"a"`, []string{"b", "c"}, true},
		{"ForAllValues:StringNotEquals", k, `"a"`, []string{"a", "b"}, false},
		{"ForAllValues:StringNotEquals", k, `"a"`, absent, true},
		{"ForAnyValue:StringNotEquals", k, `"a"`, []string{"a", "b"}, true},
		{"ForAnyValue:StringNotEquals", k, `"a"`, []string{"a"}, false},
		{"ForAnyValue:StringNotEquals", k, `"a"`, absent, false},
		{"ForAllValues:StringNotLike", k, `["x*","y*"]`, []string{"a", "b"}, true},
		{"ForAllValues:StringNotLike", k, `["x*","y*"]`, []string{"a", "yb"}, false},
		{"ForAnyValue:StringNotLike", k, `["x*","y*"]`, []string{"xa", "b"}, true},
		{"ForAllValues:NumericLessThan", k, `"10"`, []string{"1", "2"}, true},
		{"ForAllValues:NumericLessThan", k, `"10"`, []string{"1", "20"}, false},
		{"ForAllValues:NumericLessThan", k, `"10"`, []string{"1", "x"}, false},
		{"ForAnyValue:NumericGreaterThan", k, `"10"`, []string{"1", "20"}, true},
		{"ForAnyValue:DateGreaterThan", k, `"2024-01-01"`, []string{"2023-01-01", "2025-01-01"}, true},
		{"ForAnyValue:IpAddress", k, `"10.0.0.0/8"`, []string{"8.8.8.8", "10.0.0.1"}, true},
		{"ForAllValues:IpAddress", k, `"10.0.0.0/8"`, []string{"8.8.8.8", "10.0.0.1"}, false},
		{"ForAnyValue:ArnLike", k, `"arn:aws:iam::*:role/*"`, []string{"arn:aws:iam::1:user/u", "arn:aws:iam::1:role/r"}, true},
		{"ForAllValues:ArnLike", k, `"arn:aws:iam::*:role/*"`, []string{"arn:aws:iam::1:user/u", "arn:aws:iam::1:role/r"}, false},
		{"ForAnyValue:Bool", k, `"true"`, []string{"false", "true"}, true},
		{"ForAllValues:Bool", k, `"true"`, []string{"false", "true"}, false},
		{"ForAnyValue:StringEquals", "SVC:Key", `"a"`, []string{"a"}, true},
	})
}

func TestConditionVariables(t *testing.T) {
	runCondCases(t, "2012-10-17", []condCase{
		{"StringEquals", k, `"${aws:username}"`, "alice", true},
		{"StringEquals", k, `"${aws:username}"`, "bob", false},
		{"StringEquals", k, `"${AWS:UserName}"`, "alice", true},
		{"StringEquals", k, `"${ aws:username }"`, "alice", true},
		{"StringEquals", k, `"user-${aws:username}-x"`, "user-alice-x", true},
		{"StringEquals", k, `"user-${aws:username}-x"`, "user-alice-y", false},
		{"StringEquals", k, `"${aws:PrincipalTag/team}"`, "ml", true},
		{"StringEquals", k, `"${aws:principaltag/TEAM}"`, "ml", true},
		{"StringEquals", k, `"${aws:username}${aws:PrincipalTag/team}"`, "aliceml", true},
		{"StringEquals", k, `"${svc:missing}"`, "", false},
		{"StringEquals", k, `"${svc:missing}"`, "${svc:missing}", false},
		{"StringEquals", k, `["${svc:missing}","x"]`, "x", true},
		{"StringEquals", k, `"${svc:missing, 'anon'}"`, "anon", true},
		{"StringEquals", k, `"${svc:missing,'anon'}"`, "anon", true},
		{"StringEquals", k, `"${aws:username, 'anon'}"`, "alice", true},
		{"StringEquals", k, `"${svc:missing, 'it''s'}"`, "it's", true},
		{"StringEquals", k, `"${svc:missing, ''}"`, "", true},
		{"StringEquals", k, `"${svc:missing, 'a}b'}"`, "a}b", true},
		{"StringEquals", k, `"${svc:missing, anon}"`, "anon", false},
		{"StringEquals", k, `"a${*}b"`, "a*b", true},
		{"StringEquals", k, `"a${?}b"`, "a?b", true},
		{"StringEquals", k, `"a${$}b"`, "a$b", true},
		{"StringEquals", k, `"${svc:unterminated"`, "${svc:unterminated", true},
		{"StringEquals", k, `"cost $5"`, "cost $5", true},
		{"StringNotEquals", k, `"${aws:username}"`, "bob", true},
		{"StringNotEquals", k, `"${aws:username}"`, "alice", false},
		{"StringNotEquals", k, `"${svc:missing}"`, "x", false},
		{"StringNotEquals", k, `"${svc:missing, 'd'}"`, "x", true},
		{"StringLike", k, `"home/${aws:username}/*"`, "home/alice/x", true},
		{"StringLike", k, `"home/${aws:username}/*"`, "home/bob/x", false},
		{"StringLike", k, `"home/${svc:star}"`, "home/a*", true},
		{"StringLike", k, `"home/${svc:star}"`, "home/abc", false},
		{"StringLike", k, `"a${*}b"`, "a*b", true},
		{"StringLike", k, `"a${*}b"`, "aXb", false},
		{"StringLike", k, `"a${?}b"`, "aXb", false},
		{"StringLike", k, `"*${aws:username}*"`, "xxalicexx", true},
		{"StringLike", k, `"${svc:missing}*"`, "anything", false},
		{"StringNotLike", k, `"home/${aws:username}/*"`, "home/bob/x", true},
		{"StringNotLike", k, `"home/${svc:missing}/*"`, "home/bob/x", false},
		{"StringEqualsIgnoreCase", k, `"${aws:username}"`, "ALICE", true},
		{"StringEqualsIgnoreCase", k, `"x-${aws:username}"`, "X-ALICE", true},
		{"ArnEquals", k, `"arn:aws:iam::111111111111:user/${aws:username}"`, userA, true},
		{"ArnLike", k, `"arn:aws:iam::*:user/${aws:username}"`, user2A, false},
		{"ArnLike", k, `"arn:aws:iam::*:user/${svc:missing}"`, userA, false},
		{"ArnNotLike", k, `"arn:aws:iam::*:user/${svc:missing}"`, userA, false},
		{"NumericEquals", k, `"${svc:num}"`, "5", false},
		{"DateEquals", k, `"${aws:CurrentTime}"`, "2024-01-01", false},
		{"IpAddress", k, `"${aws:SourceIp}"`, "10.0.0.1", false},
	})
}

func TestConditionVariablesLegacyVersion(t *testing.T) {
	for _, version := range []string{"2008-10-17", ""} {
		runCondCases(t, version, []condCase{
			{"StringEquals", k, `"${aws:username}"`, "${aws:username}", true},
			{"StringEquals", k, `"${aws:username}"`, "alice", false},
			{"StringLike", k, `"home/${aws:username}/*"`, "home/alice/x", false},
			{"StringLike", k, `"home/${aws:username}/*"`, "home/${aws:username}/x", true},
			{"StringEquals", k, `"a${*}b"`, "a${*}b", true},
		})
	}
}

func TestConditionBlockLogic(t *testing.T) {
	// Keys in one operator are ANDed, operators are ANDed, values ORed.
	tests := []struct {
		name string
		cond string
		ctx  map[string]string
		want bool
	}{
		{"two keys both match", `{"StringEquals":{"svc:a":"1","svc:b":"2"}}`, map[string]string{"svc:a": "1", "svc:b": "2"}, true},
		{"two keys one fails", `{"StringEquals":{"svc:a":"1","svc:b":"2"}}`, map[string]string{"svc:a": "1", "svc:b": "3"}, false},
		{"two keys one missing", `{"StringEquals":{"svc:a":"1","svc:b":"2"}}`, map[string]string{"svc:a": "1"}, false},
		{"two operators both", `{"StringEquals":{"svc:a":"1"},"NumericLessThan":{"svc:n":"5"}}`, map[string]string{"svc:a": "1", "svc:n": "4"}, true},
		{"two operators one fails", `{"StringEquals":{"svc:a":"1"},"NumericLessThan":{"svc:n":"5"}}`, map[string]string{"svc:a": "1", "svc:n": "6"}, false},
		{"values ored", `{"StringEquals":{"svc:a":["1","2","3"]}}`, map[string]string{"svc:a": "3"}, true},
		{"negated not any", `{"StringNotEquals":{"svc:a":["1","2","3"]}}`, map[string]string{"svc:a": "3"}, false},
		{"negated none", `{"StringNotEquals":{"svc:a":["1","2","3"]}}`, map[string]string{"svc:a": "4"}, true},
		{"empty block", `{}`, nil, true},
		{"empty operator", `{"StringEquals":{}}`, nil, true},
		{"empty values", `{"StringEquals":{"svc:a":[]}}`, map[string]string{"svc:a": "1"}, false},
		{"empty values negated", `{"StringNotEquals":{"svc:a":[]}}`, map[string]string{"svc:a": "1"}, true},
		{"if exists and plain", `{"StringEqualsIfExists":{"svc:a":"1"},"StringEquals":{"svc:b":"2"}}`, map[string]string{"svc:b": "2"}, true},
		{"null and string", `{"Null":{"svc:a":"false"},"StringLike":{"svc:a":"x*"}}`, map[string]string{"svc:a": "xy"}, true},
		{"operator name case", `{"stringequals":{"svc:a":"1"}}`, map[string]string{"svc:a": "1"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pol := mustParse(t, policy.IdentityBased, allowDoc("s3:GetObject", "*", `"Condition":`+tc.cond))
			req := &policy.Request{Principal: mustPrincipal(t, userA), Action: "s3:GetObject", Resource: objA, Context: policy.NewContext(tc.ctx)}
			d := policy.Evaluate(req, &policy.Inputs{Identity: []policy.NamedPolicy{{ID: "p", Policy: pol}}})
			if d.Allowed != tc.want {
				t.Errorf("Allowed = %v, want %v", d.Allowed, tc.want)
			}
		})
	}
}
