package sigv4

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"net/http"
	"slices"
	"strings"
)

// Limits on aws-chunked framing. Chunk data is never buffered whole, so
// the chunk size limit only rejects absurd framing early.
const (
	maxChunkSize     = 16 << 20 // bytes of data in one chunk
	maxChunkLine     = 4096     // bytes in a chunk header or trailer line
	maxTrailerFields = 32
)

const trailerSignatureField = "x-amz-trailer-signature"

type chunkState int

const (
	stateHeader  chunkState = iota // before a chunk header line
	stateData                      // inside chunk data
	stateDataEnd                   // after chunk data, before its CRLF
	stateDone                      // after the final chunk and trailers
)

// A chunkedReader decodes an aws-chunked body:
//
//	<hex size>[;chunk-signature=<64 hex>]\r\n<data>\r\n ... 0[;chunk-signature=...]\r\n
//
// followed by "\r\n", or by trailer lines "name:value\r\n" and "\r\n". When
// signed, it checks each chunk's signature as the chunk's last byte passes
// through and fails the next Read if it is wrong, so it holds at most a
// line of framing in memory, never a chunk.
type chunkedReader struct {
	body     io.ReadCloser
	br       *bufio.Reader
	signed   bool  // chunks carry chunk-signature
	trailer  bool  // trailer lines follow the final chunk
	declared int64 // X-Amz-Decoded-Content-Length, or -1

	// Signing state, when signed.
	key       [sha256.Size]byte
	dateScope string                // "<X-Amz-Date>\n<scope>\n"
	prev      [2 * sha256.Size]byte // hex signature of the previous chunk
	want      [sha256.Size]byte     // signature the current chunk claims
	chunkHash hash.Hash             // SHA-256 of the current chunk so far
	sum       [sha256.Size]byte     // scratch for chunkHash.Sum
	sts       []byte                // string-to-sign buffer, reused

	state     chunkState
	remaining int64 // data bytes left in the current chunk
	decoded   int64 // data bytes returned so far
	err       error // sticky
	trailers  http.Header
}

func newUnsignedChunkedReader(body io.ReadCloser, declared int64) *chunkedReader {
	return &chunkedReader{
		body:     body,
		br:       bufio.NewReaderSize(body, maxChunkLine),
		trailer:  true,
		declared: declared,
	}
}

func newSignedChunkedReader(body io.ReadCloser, declared int64, trailer bool, key [sha256.Size]byte, sig *Signature, seed [sha256.Size]byte) *chunkedReader {
	var b []byte
	b = appendAmzDate(b, sig.Date)
	b = append(b, '\n')
	b = appendScope(b, sig.Scope)
	b = append(b, '\n')
	c := &chunkedReader{
		body:      body,
		br:        bufio.NewReaderSize(body, maxChunkLine),
		signed:    true,
		trailer:   trailer,
		declared:  declared,
		key:       key,
		dateScope: string(b),
		chunkHash: sha256.New(),
	}
	hex.Encode(c.prev[:], seed[:])
	return c
}

func (c *chunkedReader) Read(p []byte) (int, error) {
	for c.err == nil {
		switch c.state {
		case stateHeader:
			c.err = c.readChunkHeader()
		case stateDataEnd:
			c.err = c.endChunk()
		case stateDone:
			return 0, io.EOF
		case stateData:
			if len(p) == 0 {
				return 0, nil
			}
			if int64(len(p)) > c.remaining {
				p = p[:c.remaining]
			}
			n, err := c.br.Read(p)
			if c.signed {
				c.chunkHash.Write(p[:n])
			}
			c.remaining -= int64(n)
			c.decoded += int64(n)
			if c.remaining == 0 {
				c.state = stateDataEnd
			}
			switch {
			case c.declared >= 0 && c.decoded > c.declared:
				c.err = newError(InvalidChunk, "The body holds more data than X-Amz-Decoded-Content-Length declares.")
			case err == io.EOF || err == io.ErrUnexpectedEOF:
				if c.remaining > 0 {
					c.err = newError(IncompleteBody, msgIncompleteBody)
				}
			case err != nil:
				c.err = err
			}
			if n > 0 || c.err == nil {
				return n, nil
			}
		}
	}
	return 0, c.err
}

// Trailer returns the trailing headers once the body has been read to
// io.EOF, else nil.
func (c *chunkedReader) Trailer() http.Header {
	if c.state != stateDone || c.err != nil {
		return nil
	}
	return c.trailers
}

func (c *chunkedReader) Close() error { return c.body.Close() }

// readLine returns the next line without its CRLF. It returns io.EOF only
// if the body ends before the line starts.
func (c *chunkedReader) readLine() ([]byte, error) {
	line, err := c.br.ReadSlice('\n')
	switch {
	case err == nil:
	case errors.Is(err, bufio.ErrBufferFull):
		return nil, newError(InvalidChunk, "A chunk header or trailer line is too long.")
	case err == io.EOF && len(line) == 0:
		return nil, io.EOF
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return nil, newError(IncompleteBody, msgIncompleteBody)
	default:
		return nil, err
	}
	if len(line) < 2 || line[len(line)-2] != '\r' {
		return nil, newError(InvalidChunk, "A chunk header or trailer line does not end in CRLF.")
	}
	return line[:len(line)-2], nil
}

func (c *chunkedReader) readChunkHeader() error {
	line, err := c.readLine()
	if err == io.EOF {
		return newError(IncompleteBody, msgIncompleteBody)
	} else if err != nil {
		return err
	}
	sizeHex, ext, _ := bytes.Cut(line, []byte{';'})
	if len(sizeHex) == 0 || len(sizeHex) > 16 {
		return newError(InvalidChunk, "A chunk size is not a hexadecimal number.")
	}
	var size int64
	for _, d := range sizeHex {
		if !isHex(d) {
			return newError(InvalidChunk, "A chunk size is not a hexadecimal number.")
		}
		if size = size<<4 | int64(unhex(d)); size > maxChunkSize {
			return newError(InvalidChunk, "A chunk is larger than 16 MiB.")
		}
	}
	if c.signed {
		sig, ok := bytes.CutPrefix(ext, []byte("chunk-signature="))
		if !ok {
			return newError(InvalidChunk, "A chunk lacks its chunk-signature.")
		}
		if c.want, ok = decodeHex32(sig); !ok {
			return errSignatureDoesNotMatch()
		}
	}
	if size == 0 {
		return c.finish()
	}
	if c.signed {
		c.chunkHash.Reset()
	}
	c.remaining, c.state = size, stateData
	return nil
}

// endChunk consumes the CRLF after chunk data and checks the signature.
func (c *chunkedReader) endChunk() error {
	for _, want := range [2]byte{'\r', '\n'} {
		b, err := c.br.ReadByte()
		if err == io.EOF {
			return newError(IncompleteBody, msgIncompleteBody)
		} else if err != nil {
			return err
		}
		if b != want {
			return newError(InvalidChunk, "Chunk data is not followed by CRLF.")
		}
	}
	if c.signed && !c.verifyChunk(c.chunkHash.Sum(c.sum[:0])) {
		return errSignatureDoesNotMatch()
	}
	c.state = stateHeader
	return nil
}

// verifyChunk checks c.want against the signature of a chunk whose data
// has SHA-256 dataHash, and makes it the previous signature if it matches.
func (c *chunkedReader) verifyChunk(dataHash []byte) bool {
	const prefix = "AWS4-HMAC-SHA256-PAYLOAD\n"
	sts := append(c.sts[:0], make([]byte, hmacScratch)...)
	sts = append(sts, prefix...)
	sts = append(sts, c.dateScope...)
	sts = append(sts, c.prev[:]...)
	sts = append(sts, '\n')
	sts = append(sts, emptySHA256...)
	sts = append(sts, '\n')
	sts = hex.AppendEncode(sts, dataHash)
	c.sts = sts
	return c.accept(sum(&c.key, sts), c.want)
}

// accept compares a computed signature with the claimed one and, if they
// match, chains it.
func (c *chunkedReader) accept(computed, claimed [sha256.Size]byte) bool {
	if !hmac.Equal(computed[:], claimed[:]) {
		return false
	}
	hex.Encode(c.prev[:], computed[:])
	return true
}

// finish handles the end of the body after the zero-size chunk header.
func (c *chunkedReader) finish() error {
	if c.signed {
		h := sha256.Sum256(nil)
		if !c.verifyChunk(h[:]) {
			return errSignatureDoesNotMatch()
		}
	}
	if c.trailer {
		if err := c.readTrailers(); err != nil {
			return err
		}
	} else {
		// The final chunk is followed by an empty line; tolerate its absence.
		switch line, err := c.readLine(); {
		case err == io.EOF:
		case err != nil:
			return err
		case len(line) != 0:
			return newError(InvalidChunk, "The final chunk is followed by unexpected data.")
		}
	}
	if c.declared >= 0 && c.decoded != c.declared {
		return newError(IncompleteBody,
			"The decoded body length differs from X-Amz-Decoded-Content-Length.")
	}
	c.state = stateDone
	return nil
}

type trailerField struct{ name, value string }

// readTrailers reads trailer lines up to the empty line (or the end of the
// body) and, when signed, checks x-amz-trailer-signature.
func (c *chunkedReader) readTrailers() error {
	var (
		fields  []trailerField
		claimed [sha256.Size]byte
		hasSig  bool
	)
	for {
		line, err := c.readLine()
		if err == io.EOF {
			break
		} else if err != nil {
			return err
		}
		if len(line) == 0 {
			break
		}
		if len(fields) == maxTrailerFields {
			return newError(InvalidChunk, "The body has too many trailing headers.")
		}
		name, value, ok := bytes.Cut(line, []byte{':'})
		n := strings.ToLower(string(bytes.TrimSpace(name)))
		if !ok || n == "" {
			return newError(InvalidChunk, "A trailing header is not a name:value line.")
		}
		v := string(bytes.TrimSpace(value))
		if c.signed && n == trailerSignatureField {
			if hasSig {
				return newError(InvalidChunk, "The body repeats x-amz-trailer-signature.")
			}
			if claimed, ok = decodeHex32(v); !ok {
				return errSignatureDoesNotMatch()
			}
			hasSig = true
			continue
		}
		fields = append(fields, trailerField{n, v})
	}
	if c.signed {
		if !hasSig {
			return newError(IncompleteSignature, "The trailing headers lack x-amz-trailer-signature.")
		}
		if !c.verifyTrailer(fields, claimed) {
			return errSignatureDoesNotMatch()
		}
	}
	c.trailers = make(http.Header, len(fields))
	for _, f := range fields {
		c.trailers.Add(f.name, f.value)
	}
	return nil
}

// verifyTrailer checks the signature of the trailing headers, canonicalized
// as "name:value\n" lines sorted by name.
func (c *chunkedReader) verifyTrailer(fields []trailerField, claimed [sha256.Size]byte) bool {
	slices.SortStableFunc(fields, func(a, b trailerField) int { return strings.Compare(a.name, b.name) })
	h := sha256.New()
	for _, f := range fields {
		io.WriteString(h, f.name)
		io.WriteString(h, ":")
		io.WriteString(h, f.value)
		io.WriteString(h, "\n")
	}
	const prefix = "AWS4-HMAC-SHA256-TRAILER\n"
	sts := append(c.sts[:0], make([]byte, hmacScratch)...)
	sts = append(sts, prefix...)
	sts = append(sts, c.dateScope...)
	sts = append(sts, c.prev[:]...)
	sts = append(sts, '\n')
	sts = hex.AppendEncode(sts, h.Sum(c.sum[:0]))
	c.sts = sts
	return c.accept(sum(&c.key, sts), claimed)
}
