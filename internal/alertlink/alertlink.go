// Package alertlink signs and checks the unsubscribe links of topic alert
// emails: a token names one resident and the topics one email was sent for,
// and expires. It is an HMAC-SHA256 of its claims under the portal's own
// secret (kept in the database), so nobody can unsubscribe someone else.
// Unlike a rating link it is not spent: unsubscribing twice is harmless.
package alertlink

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/townhall-portal/townhall/internal/signedtoken"
)

// Valid is how long an unsubscribe link works: long enough that an old
// email still lets its reader stop the next ones.
const Valid = 365 * 24 * time.Hour

// MaxTopics is how many topics one token may name.
const MaxTopics = 20

// Errors of Check.
var (
	ErrInvalid = errors.New("alertlink: not a valid link") // malformed or tampered with
	ErrExpired = errors.New("alertlink: expired")
)

// Claims are what a token says.
type Claims struct {
	User    string   // the resident's id
	Topics  []string // the topics' ids
	Expires time.Time
}

var (
	idPattern = regexp.MustCompile(`^[a-z0-9]{1,40}$`)
)

// Sign makes a token for c under secret.
func Sign(secret []byte, c Claims) string {
	return signedtoken.Seal(secret, purpose, "u:"+c.User+":"+strings.Join(c.Topics, ",")+":"+strconv.FormatInt(c.Expires.Unix(), 10))
}

// purpose keeps an unsubscribe token from opening anything else.
const purpose = "alert-unsubscribe\x00"

// Check reads a token signed under secret: ErrInvalid when it is malformed
// or its signature does not match, ErrExpired (with the claims) after its
// expiry at now.
func Check(secret []byte, token string, now time.Time) (Claims, error) {
	var c Claims
	raw, err := signedtoken.Open(secret, purpose, token, 1500)
	if err != nil {
		return c, ErrInvalid
	}
	parts := strings.Split(raw, ":")
	if len(parts) != 4 || parts[0] != "u" || !idPattern.MatchString(parts[1]) || parts[2] == "" {
		return c, ErrInvalid
	}
	topics := strings.Split(parts[2], ",")
	if len(topics) > MaxTopics {
		return c, ErrInvalid
	}
	for _, t := range topics {
		if !idPattern.MatchString(t) {
			return c, ErrInvalid
		}
	}
	exp, err := strconv.ParseInt(parts[3], 10, 64)
	if err != nil || exp <= 0 || strconv.FormatInt(exp, 10) != parts[3] {
		return c, ErrInvalid
	}
	c = Claims{User: parts[1], Topics: topics, Expires: time.Unix(exp, 0).UTC()}
	if !now.Before(c.Expires) {
		return c, ErrExpired
	}
	return c, nil
}
