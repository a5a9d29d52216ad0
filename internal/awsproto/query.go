package awsproto

import (
	"bytes"
	"encoding/xml"
	"mime"
	"net/http"
	"net/url"
	"strconv"

	"github.com/cairnhq/cairn/internal/operation"
)

// queryCodec implements awsQuery: form-encoded "Action=…&Version=…" requests (in the body
// or the URL query) and XML responses wrapped in <ActionResponse><ActionResult>.
type queryCodec struct{}

// QueryValues parses the parameters of an awsQuery request: the URL query merged with a
// form-encoded body.
func QueryValues(r *http.Request, body []byte) (url.Values, error) {
	values := r.URL.Query()
	if len(body) == 0 {
		return values, nil
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/x-www-form-urlencoded" {
			return nil, operation.Errorf(http.StatusBadRequest, "InvalidParameterValue",
				"The content type %q is not supported; send application/x-www-form-urlencoded.", ct)
		}
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, operation.Errorf(http.StatusBadRequest, "MalformedQueryString", "The request body is not a valid form: %v.", err)
	}
	for k, v := range form {
		values[k] = append(values[k], v...)
	}
	return values, nil
}

func (queryCodec) operation(s *Service, c *Call) (*Operation, map[string]string, error) {
	values, err := QueryValues(c.Request, c.Body)
	if err != nil {
		return nil, nil, err
	}
	action := values.Get("Action")
	if action == "" {
		return nil, nil, operation.Errorf(http.StatusBadRequest, "MissingAction", "The request must contain the parameter Action.")
	}
	op := s.model.Operation(action)
	version := values.Get("Version")
	if op == nil || (version != "" && version != s.Version) {
		if version == "" {
			version = s.Version
		}
		return nil, nil, operation.Errorf(http.StatusBadRequest, "InvalidAction", "Could not find operation %s for version %s", action, version)
	}
	return op, nil, nil
}

func (queryCodec) decode(s *Service, _ map[string]string, c *Call, in any) error {
	values, err := QueryValues(c.Request, c.Body)
	if err != nil {
		return err
	}
	return decodeForm(s, values, in)
}

func (queryCodec) encode(s *Service, op *Operation, w http.ResponseWriter, requestID string, out any) error {
	var buf bytes.Buffer
	buf.WriteString(`<` + op.Name + `Response xmlns="` + s.XMLNamespace + `">`)
	if isNil(out) {
		// Clients look for the result element even when it has no members.
		buf.WriteString(`<` + op.Name + `Result></` + op.Name + `Result>`)
	} else {
		enc := xml.NewEncoder(&buf)
		if err := enc.EncodeElement(out, xml.StartElement{Name: xml.Name{Local: op.Name + "Result"}}); err != nil {
			return err
		}
		if err := enc.Flush(); err != nil {
			return err
		}
	}
	buf.WriteString(`<ResponseMetadata><RequestId>` + requestID + `</RequestId></ResponseMetadata></` + op.Name + `Response>`)
	h := w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("X-Amzn-Requestid", requestID)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(buf.Bytes())
	return err
}

func (queryCodec) encodeError(s *Service, w http.ResponseWriter, requestID string, e *Error) {
	writeQueryError(w, s.XMLNamespace, requestID, e)
}

func writeQueryError(w http.ResponseWriter, namespace, requestID string, e *Error) {
	typ := "Sender"
	if e.Server {
		typ = "Receiver"
	}
	var buf bytes.Buffer
	buf.WriteString(`<ErrorResponse xmlns="` + namespace + `"><Error><Type>` + typ + `</Type><Code>`)
	xml.EscapeText(&buf, []byte(e.Code))
	buf.WriteString(`</Code><Message>`)
	xml.EscapeText(&buf, []byte(e.Message))
	buf.WriteString(`</Message></Error><RequestId>` + requestID + `</RequestId></ErrorResponse>`)
	h := w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("X-Amzn-Requestid", requestID)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	for k, v := range e.Header {
		h.Set(k, v)
	}
	w.WriteHeader(e.Status)
	w.Write(buf.Bytes())
}
