// Package operation is the model of an AWS operation, whatever protocol carries it: its
// declaration (name, IAM action, access, handler), the shapes of its input and output and
// their constraints, the errors it answers, and how it is authorized and invoked. It knows
// no wire format: package awsproto decodes requests into these shapes and encodes answers,
// and services call one another through Service.Invoke without any codec.
package operation
