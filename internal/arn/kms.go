package arn

// KMS resources.

// KMSKey is arn:aws:kms:<region>:<account>:key/<key id>.
func KMSKey(region, account, keyID string) string { return New("kms", region, account, "key/"+keyID) }

// KMSAlias is arn:aws:kms:<region>:<account>:<alias name>, the name starting "alias/".
func KMSAlias(region, account, aliasName string) string {
	return New("kms", region, account, aliasName)
}
