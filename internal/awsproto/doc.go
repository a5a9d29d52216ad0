// Package awsproto implements the AWS wire protocols Cairn serves: awsJson1.0/1.1,
// awsQuery, restJson1 and restXml. It routes a request to its operation, decodes the
// typed input that package operation declares, and encodes the typed output or error in
// the shape of the service's protocol. What each protocol does differently (the status of
// an authorization failure, how it spells an authentication failure) is in one table per
// protocol (quirks.go).
package awsproto
