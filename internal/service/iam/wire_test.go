package iam

import (
	"encoding/xml"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/store"
)

func TestEncodeDocumentRoundTrips(t *testing.T) {
	for _, doc := range []string{
		`{"Version":"2012-10-17"}`,
		"{\n  \"a\": \"b c+d&e=f%g/h?i#j\"\t}",
		`{"k":"ünïcødé ☃"}`,
		"",
	} {
		enc := encodeDocument(doc)
		if strings.ContainsAny(enc, " +{}\"\n&=") {
			t.Errorf("%q: encoding %q keeps reserved characters", doc, enc)
		}
		for name, decode := range map[string]func(string) (string, error){"query": url.QueryUnescape, "path": url.PathUnescape} {
			got, err := decode(enc)
			if err != nil || got != doc {
				t.Errorf("%s-unescape(%q) = %q, %v; want %q", name, enc, got, err, doc)
			}
		}
	}
}

func TestWireShapes(t *testing.T) {
	created := time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)
	out := ListUsersOutput{Users: members[User]{}}
	got := marshal(t, out)
	if want := `<R><Users></Users><IsTruncated>false</IsTruncated></R>`; got != want {
		t.Errorf("empty list:\n got %s\nwant %s", got, want)
	}
	u := &store.User{AccountID: "111111111111", Name: "bob", ID: "AIDAX", Path: "/a/", CreatedAt: created,
		PermissionsBoundaryARN: "arn:aws:iam::aws:policy/ReadOnlyAccess", Tags: []store.Tag{{Key: "k", Value: "v"}}}
	got = marshal(t, GetUserOutput{User: wireUser(u, true)})
	want := `<R><User><Path>/a/</Path><UserName>bob</UserName><UserId>AIDAX</UserId>` +
		`<Arn>arn:aws:iam::111111111111:user/a/bob</Arn><CreateDate>2024-05-06T07:08:09Z</CreateDate>` +
		`<PermissionsBoundary><PermissionsBoundaryType>PermissionsBoundaryPolicy</PermissionsBoundaryType>` +
		`<PermissionsBoundaryArn>arn:aws:iam::aws:policy/ReadOnlyAccess</PermissionsBoundaryArn></PermissionsBoundary>` +
		`<Tags><member><Key>k</Key><Value>v</Value></member></Tags></User></R>`
	if got != want {
		t.Errorf("user:\n got %s\nwant %s", got, want)
	}
	got = marshal(t, GetUserOutput{User: wireUser(u, false)})
	if strings.Contains(got, "Tags") || strings.Contains(got, "PermissionsBoundary") {
		t.Errorf("listed user carries tags or boundary: %s", got)
	}
	got = marshal(t, ListPolicyNamesOutput{PolicyNames: members[string]{"a", "b"}, IsTruncated: true, Marker: "m"})
	if want := `<R><PolicyNames><member>a</member><member>b</member></PolicyNames><IsTruncated>true</IsTruncated><Marker>m</Marker></R>`; got != want {
		t.Errorf("names:\n got %s\nwant %s", got, want)
	}
	r := &store.Role{AccountID: "1", Name: "r", ID: "AROAX", Path: "/", CreatedAt: created, AssumeRolePolicyDocument: `{"a":1}`, MaxSessionDuration: 3600}
	got = marshal(t, GetRoleOutput{Role: wireRole(r, true)})
	if !strings.Contains(got, `<AssumeRolePolicyDocument>%7B%22a%22%3A1%7D</AssumeRolePolicyDocument>`) || !strings.Contains(got, `<RoleLastUsed></RoleLastUsed>`) {
		t.Errorf("role: %s", got)
	}
}

func marshal(t *testing.T, v any) string {
	t.Helper()
	b, err := xml.Marshal(struct {
		XMLName xml.Name `xml:"R"`
		V       any
	}{V: v})
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	// Drop the wrapper element of V.
	s = strings.Replace(s, "<V>", "", 1)
	return strings.Replace(s, "</V>", "", 1)
}

func TestPaging(t *testing.T) {
	items := []string{"a", "b", "c", "d", "e"}
	two := int32(2)
	var got []string
	marker := ""
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		page, truncated, next, err := pageSlice(items, marker, &two)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, page...)
		if !truncated {
			break
		}
		marker = next
	}
	if strings.Join(got, "") != "abcde" {
		t.Errorf("pages gave %v", got)
	}
	if _, _, _, err := pageSlice(items, "not-a-marker!", nil); err == nil {
		t.Error("bad marker accepted")
	}
	// A marker of an in-memory list (the next marker of a first page) is not one of a
	// store-paged list.
	_, _, sliceMarker, _ := pageSlice(items, "", &two)
	if _, err := storePage(sliceMarker, nil); err == nil {
		t.Error("an in-memory marker is accepted for a store list")
	}
	_, bobMarker := operation.Keyed([]string{"bob", "carol"}, 1, func(s string) string { return s })
	pg, err := storePage(bobMarker, &two)
	if err != nil || pg.After != "bob" || pg.Limit != 3 {
		t.Errorf("storePage = %+v, %v", pg, err)
	}
	page, next := operation.Keyed([]string{"c", "d", "e"}, pageSize(&two), func(s string) string { return s })
	if truncated := next != ""; len(page) != 2 || !truncated {
		t.Errorf("Keyed = %v %v", page, truncated)
	}
	if after, _ := operation.AfterKey(next); after != "d" {
		t.Errorf("next marker continues after %q", after)
	}
	assertCode(t, func() error { _, _, _, err := pageSlice(items, "not-a-marker!", nil); return err }(), "InvalidInput")
}

func TestTags(t *testing.T) {
	existing := []store.Tag{{Key: "Team", Value: "a"}, {Key: "env", Value: "dev"}}
	got, err := mergeTags(existing, []Tag{{Key: "team", Value: "b"}, {Key: "new", Value: ""}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0] != (store.Tag{Key: "team", Value: "b"}) || got[2].Key != "new" || existing[0].Value != "a" {
		t.Errorf("merge = %+v (existing %+v)", got, existing)
	}
	_, err = mergeTags(nil, []Tag{{Key: "a"}, {Key: "A"}})
	assertCode(t, err, "InvalidInput")
	_, err = mergeTags(nil, []Tag{{Key: "AWS:cloudformation"}})
	assertCode(t, err, "InvalidInput")
	many := make([]store.Tag, 50)
	for i := range many {
		many[i] = store.Tag{Key: string(rune('A'+i%26)) + string(rune('a'+i/26))}
	}
	_, err = mergeTags(many, []Tag{{Key: "one-more"}})
	assertCode(t, err, "LimitExceeded")
	if got := removeTags(existing, []string{"TEAM", "absent"}); len(got) != 1 || got[0].Key != "env" || len(existing) != 2 {
		t.Errorf("remove = %+v", got)
	}
}

func assertCode(t *testing.T, err error, code string) {
	t.Helper()
	var ae *operation.Error
	if !errors.As(err, &ae) || ae.Code != code {
		t.Errorf("got %v, want %s", err, code)
	}
}

func TestValidationMessages(t *testing.T) {
	check := New(Options{}).API().Operations().Check
	in := &CreateUserInput{UserName: "bad name", Path: "x", Tags: []Tag{{Key: "", Value: "v"}}}
	err := check(in)
	var ae *operation.Error
	if !errors.As(err, &ae) || ae.Code != "ValidationError" || ae.Status != 400 {
		t.Fatalf("got %v", err)
	}
	for _, want := range []string{
		"3 validation errors detected: ",
		`Value 'x' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)`,
		`Value 'bad name' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`,
		`Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1`,
	} {
		if !strings.Contains(ae.Message, want) {
			t.Errorf("message %q lacks %q", ae.Message, want)
		}
	}
	max := int32(0)
	assertCode(t, check(&ListUsersInput{MaxItems: &max}), "ValidationError")
	assertCode(t, check(&CreateRoleInput{RoleName: "r", AssumeRolePolicyDocument: "{}", MaxSessionDuration: &max}), "ValidationError")
	if err := check(&CreatePolicyInput{PolicyName: "p", Path: "/a/b/", PolicyDocument: "{}"}); err != nil {
		t.Errorf("valid policy path rejected: %v", err)
	}
	assertCode(t, check(&CreatePolicyInput{PolicyName: "p", Path: "/a b/", PolicyDocument: "{}"}), "ValidationError")
}

func TestGlobMatch(t *testing.T) {
	for _, c := range []struct {
		pattern, s string
		want       bool
	}{
		{"s3:*", "s3:getobject", true},
		{"s3:get*", "s3:getobject", true},
		{"s3:get?bject", "s3:getobject", true},
		{"s3:put*", "s3:getobject", false},
		{"*", "", true},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "axxbyy", false},
	} {
		if got := globMatch(c.pattern, c.s); got != c.want {
			t.Errorf("globMatch(%q, %q) = %v", c.pattern, c.s, got)
		}
	}
}
