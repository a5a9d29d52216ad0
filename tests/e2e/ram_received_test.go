package e2e

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ram"
	ramtypes "github.com/aws/aws-sdk-go-v2/service/ram/types"
)

// The shares other accounts share with the caller, paged: every share that reaches it once,
// in pages of maxResults, whether it reaches by an accepted invitation or through the
// organization, and none that does not (an invitation not accepted, a deleted share).
func TestRAMReceivedPaging(t *testing.T) {
	c := start(t, startOptions{Config: ramYAML})
	ctx := context.Background()
	owner, third, consumer := ramFor(c, "owner"), ramFor(c, "third"), ramFor(c, "consumer")
	want := map[string]bool{}
	for i := 0; i < 4; i++ {
		sh := aws.ToString(ramShare(t, owner, fmt.Sprintf("invited-%d", i), nil, []string{ramConsumer}, nil).ResourceShareArn)
		if i == 3 {
			continue // never accepted
		}
		acceptInvitation(t, consumer, sh)
		want[sh] = true
	}
	if _, err := ramFor(c, "management").EnableSharingWithAwsOrganization(ctx, &ram.EnableSharingWithAwsOrganizationInput{}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		sh := aws.ToString(ramShare(t, third, fmt.Sprintf("member-%d", i), nil, []string{ramConsumer}, nil).ResourceShareArn)
		want[sh] = true
	}
	gone := aws.ToString(ramShare(t, third, "gone", nil, []string{ramConsumer}, nil).ResourceShareArn)
	if _, err := third.DeleteResourceShare(ctx, &ram.DeleteResourceShareInput{ResourceShareArn: aws.String(gone)}); err != nil {
		t.Fatal(err)
	}
	for _, size := range []int32{1, 2, 5, 500} {
		seen := map[string]bool{}
		pages := 0
		in := &ram.GetResourceSharesInput{ResourceOwner: ramtypes.ResourceOwnerOtherAccounts, MaxResults: aws.Int32(size)}
		for {
			out, err := consumer.GetResourceShares(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			for _, sh := range out.ResourceShares {
				arn := aws.ToString(sh.ResourceShareArn)
				if seen[arn] || !want[arn] {
					t.Errorf("maxResults %d: %s listed twice or not shared", size, arn)
				}
				seen[arn] = true
			}
			if out.NextToken == nil {
				break
			}
			in.NextToken = out.NextToken
		}
		if wantPages := (len(want) + int(size) - 1) / int(size); len(seen) != len(want) || pages != wantPages {
			t.Errorf("maxResults %d: %d shares in %d pages, want %d in %d", size, len(seen), pages, len(want), wantPages)
		}
	}
}
