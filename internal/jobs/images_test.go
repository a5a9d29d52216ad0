package jobs

import (
	"reflect"
	"strings"
	"testing"
)

func TestImageMap(t *testing.T) {
	m, err := NewImageMap([]Image{
		{Pattern: "*/sagemaker-xgboost:*", Command: []string{"python3", "/opt/xgb/train.py"}},
		{Regexp: `.*\.dkr\.ecr\..*/my-(a|b):v[0-9]+`, Command: []string{"run-ab"}, NoModeArgument: true},
		{Pattern: "local/?x", Command: []string{"x"}},
		{Pattern: "*", Command: []string{"fallback"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		image, mode string
		want        []string
	}{
		{"683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1", "train", []string{"python3", "/opt/xgb/train.py", "train"}},
		{"1.dkr.ecr.eu-west-1.amazonaws.com/my-b:v12", "serve", []string{"run-ab"}},
		{"1.dkr.ecr.eu-west-1.amazonaws.com/my-b:latest", "train", []string{"fallback", "train"}},
		{"local/ax", "train", []string{"x", "train"}},
		{"local/abx", "", []string{"fallback"}},
	} {
		got, ok := m.Command(tc.image, tc.mode)
		if !ok || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %q %v, want %q", tc.image, got, ok, tc.want)
		}
	}
	var none *ImageMap
	if _, ok := none.Command("x", "train"); ok {
		t.Error("a nil map matched")
	}
	empty, _ := NewImageMap(nil)
	if _, ok := empty.Command("x", "train"); ok {
		t.Error("an empty map matched")
	}
}

func TestImageMapErrors(t *testing.T) {
	for _, tc := range []struct {
		img  Image
		want string
	}{
		{Image{Command: []string{"x"}}, "needs a pattern"},
		{Image{Pattern: "a", Regexp: "b", Command: []string{"x"}}, "not both"},
		{Image{Regexp: "(", Command: []string{"x"}}, "regexp"},
		{Image{Pattern: "a"}, "needs a command"},
		{Image{Pattern: "a", Command: []string{""}}, "needs a command"},
	} {
		if _, err := NewImageMap([]Image{tc.img}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.img, err, tc.want)
		}
	}
}
