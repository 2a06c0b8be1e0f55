package hooks

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
)

// keysOf lists the keys of a JSON object, sorted.
func keysOf(t *testing.T, body string) []string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func signUpBody(email, password, confirm string) string {
	b, _ := json.Marshal(map[string]any{"email": email, "password": password, "passwordConfirm": confirm, "name": "New Person", "language": "en"})
	return string(b)
}

// TestSignUpWithATakenAddressLooksNew: signing up with an address that has
// an account answers exactly like a new sign-up, refusals included; nothing
// is created; the owner of the address gets one email a day about it.
func TestSignUpWithATakenAddressLooksNew(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	users := e.count(t, "users", "", nil)
	fresh := e.do(t, http.MethodPost, "/api/collections/users/records", signUpBody("new@resident.test", "maple-harbor-lantern", "maple-harbor-lantern"), roleAnon)
	if fresh.Status != 200 {
		t.Fatalf("a new sign-up: %d %s", fresh.Status, fresh.Body)
	}
	for _, email := range []string{"a@resident.test", "A@Resident.TEST"} {
		taken := e.do(t, http.MethodPost, "/api/collections/users/records", signUpBody(email, "maple-harbor-lantern", "maple-harbor-lantern"), roleAnon)
		if taken.Status != 200 {
			t.Fatalf("sign-up with a taken address %s: %d %s", email, taken.Status, taken.Body)
		}
		if got, want := keysOf(t, taken.Body), keysOf(t, fresh.Body); !slices.Equal(got, want) {
			t.Errorf("the answers differ: taken %v, new %v", got, want)
		}
		for _, never := range []string{resA, "Resident A", `"verified":true`} {
			if strings.Contains(taken.Body, never) {
				t.Errorf("the answer shows %q: %s", never, taken.Body)
			}
		}
	}
	if n := e.count(t, "users", "", nil); n != users+1 {
		t.Errorf("%d accounts, want %d (only the new one)", n, users+1)
	}
	if n := e.count(t, "outbox", "to = 'a@resident.test' && kind = 'account.exists'", nil); n != 1 {
		t.Errorf("%d notices to the owner, want 1 a day", n)
	}
	notice, err := e.app.FindFirstRecordByFilter("outbox", "kind = 'account.exists'")
	if err != nil || !strings.Contains(notice.GetString("text"), "/reset-password.html") {
		t.Errorf("the notice does not say how to reset the password: %v", notice)
	}
	// refusals are the same too
	for _, c := range []struct{ name, password, confirm string }{
		{"passwords differ", "maple-harbor-lantern", "maple-harbor-lanterns"},
		{"weak password", "aaaaaaaaaa", "aaaaaaaaaa"},
		{"no password", "", ""},
	} {
		newAddr := e.do(t, http.MethodPost, "/api/collections/users/records", signUpBody("other@resident.test", c.password, c.confirm), roleAnon)
		takenAddr := e.do(t, http.MethodPost, "/api/collections/users/records", signUpBody("a@resident.test", c.password, c.confirm), roleAnon)
		if newAddr.Status != 400 || newAddr.Status != takenAddr.Status || newAddr.Body != takenAddr.Body {
			t.Errorf("%s: new address %d %s, taken address %d %s", c.name, newAddr.Status, newAddr.Body, takenAddr.Status, takenAddr.Body)
		}
	}
}

// TestSignUpIsLimitedForEveryone: ten accounts a minute from one address,
// whether the caller is signed in or not.
func TestSignUpIsLimitedForEveryone(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	codes := []int{}
	for i := range 11 {
		res := e.do(t, http.MethodPost, "/api/collections/users/records",
			signUpBody("burst"+itoa(i)+"@resident.test", "maple-harbor-lantern", "maple-harbor-lantern"), roleResU)
		codes = append(codes, res.Status)
	}
	if codes[9] != 200 || codes[10] != http.StatusTooManyRequests {
		t.Errorf("sign-ups with an (unconfirmed) account's token: %v, want ten 200s then 429", codes)
	}
}

// TestEmailChangeDoesNotTellIfTaken: moving an account to an address that
// has one answers 204 like any request, sends no confirmation, and tells
// that address's owner that nothing changed.
func TestEmailChangeDoesNotTellIfTaken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	res := e.do(t, http.MethodPost, "/api/collections/users/request-email-change", `{"newEmail":"B@resident.test"}`, roleResA)
	if res.Status != 204 {
		t.Fatalf("to a taken address: %d %s", res.Status, res.Body)
	}
	if n := e.app.TestMailer.TotalSend() + e.count(t, "outbox", "kind = 'account.email_change'", nil); n != 0 {
		t.Errorf("%d confirmations sent for a taken address", n)
	}
	if n := e.count(t, "outbox", "to = 'b@resident.test' && kind = 'account.move'", nil); n != 1 {
		t.Errorf("%d notices to the address's owner, want 1", n)
	}
	res = e.do(t, http.MethodPost, "/api/collections/users/request-email-change", `{"newEmail":"new-a@resident.test"}`, roleResA)
	if res.Status != 204 {
		t.Errorf("to a free address: %d %s", res.Status, res.Body)
	}
	if _, _, err := e.portal.SendOutbox(); err != nil {
		t.Fatal(err)
	}
	if n := e.count(t, "outbox", "kind = 'account.email_change'", nil); n != 1 || e.app.TestMailer.TotalSend() != 2 {
		t.Errorf("%d confirmations queued, %d emails sent (want the confirmation and the notice)", n, e.app.TestMailer.TotalSend())
	}
	if e.count(t, "outbox", "to = 'b@resident.test' && kind = 'account.email_change'", nil) != 0 {
		t.Error("a confirmation went to the taken address")
	}
}

// TestPasswordsFollowNIST: at least 10 characters, not common, predictable
// or built from the person's or the county's words, on every path that sets
// one, each refusal saying why.
func TestPasswordsFollowNIST(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	settings := e.record(t, "town_settings", settingsID)
	settings.Set("town_name", "Pine County")
	if err := e.app.Save(settings); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ password, says string }{
		{"aaaaaaaaaa", "predictable pattern"},
		{"1234567890", "most common"},
		{"Password123!", "most common"},
		{"PineCounty2026", "county's name"},
		{"new.person.townhall", "your name"},
		{"short", "at least 10"},
	} {
		res := e.do(t, http.MethodPost, "/api/collections/users/records", signUpBody("np@resident.test", c.password, c.password), roleAnon)
		if res.Status != 400 || !strings.Contains(res.Body, `"password":{"code":"validation_password_`) || !strings.Contains(res.Body, c.says) {
			t.Errorf("sign-up with %q: %d %s", c.password, res.Status, res.Body)
		}
	}
	// Spanish for a Spanish-speaking resident
	b, _ := json.Marshal(map[string]any{"email": "es@resident.test", "password": "aaaaaaaaaa", "passwordConfirm": "aaaaaaaaaa", "language": "es"})
	if res := e.do(t, http.MethodPost, "/api/collections/users/records", string(b), roleAnon); !strings.Contains(res.Body, "patrón predecible") {
		t.Errorf("a Spanish refusal: %s", res.Body)
	}
	// changing it on the profile
	res := e.do(t, http.MethodPatch, "/api/collections/users/records/"+resA,
		`{"oldPassword":"correct-horse-battery","password":"qwertyuiop","passwordConfirm":"qwertyuiop"}`, roleResA)
	if res.Status != 400 || !strings.Contains(res.Body, "most common") {
		t.Errorf("a weak new password on the profile: %d %s", res.Status, res.Body)
	}
	// the reset link
	a := e.record(t, "users", resA)
	tok, err := a.NewPasswordResetToken()
	if err != nil {
		t.Fatal(err)
	}
	res = e.do(t, http.MethodPost, "/api/collections/users/confirm-password-reset",
		`{"token":"`+tok+`","password":"abcdefghij","passwordConfirm":"abcdefghij"}`, roleAnon)
	if res.Status != 400 || !strings.Contains(res.Body, "predictable pattern") {
		t.Errorf("a weak password through the reset link: %d %s", res.Status, res.Body)
	}
	// the dashboard, for staff and administrators, and Go code
	res = e.do(t, http.MethodPost, "/api/collections/staff/records",
		`{"email":"weak@county.test","password":"PineCounty1","passwordConfirm":"PineCounty1","name":"Weak","role":"clerk"}`, roleSuperuser)
	if res.Status != 400 || !strings.Contains(res.Body, "county's name") {
		t.Errorf("a weak staff password from the dashboard: %d %s", res.Status, res.Body)
	}
	su, _ := e.app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	admin := core.NewRecord(su)
	admin.SetEmail("admin2@county.test")
	admin.SetPassword("Password123!")
	if err := e.app.Save(admin); err == nil {
		t.Error("an administrator was saved with a common password")
	}
	// a strong one goes through
	res = e.do(t, http.MethodPatch, "/api/collections/users/records/"+resA,
		`{"oldPassword":"correct-horse-battery","password":"maple cactus harbor lamp","passwordConfirm":"maple cactus harbor lamp"}`, roleResA)
	if res.Status != 200 {
		t.Errorf("a strong password: %d %s", res.Status, res.Body)
	}
}

// TestDeactivatedStaffGetTheSameAnswer: a switched-off account answers the
// right password as it answers a wrong one; only its owner learns why, by
// email.
func TestDeactivatedStaffGetTheSameAnswer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.switchOff(t, clerkX)
	signIn := func(password string) response {
		return e.do(t, http.MethodPost, "/api/collections/staff/auth-with-password", `{"identity":"clerkx@county.test","password":"`+password+`"}`, roleAnon)
	}
	wrong := signIn("not-the-password")
	if n := e.count(t, "outbox", "kind = 'account.inactive'", nil); n != 0 {
		t.Errorf("a wrong password sent %d notices", n)
	}
	right := signIn("correct-horse-battery")
	if wrong.Status != 400 || right.Status != wrong.Status || right.Body != wrong.Body {
		t.Errorf("right password %d %s, wrong password %d %s", right.Status, right.Body, wrong.Status, wrong.Body)
	}
	signIn("correct-horse-battery")
	if n := e.count(t, "outbox", "to = 'clerkx@county.test' && kind = 'account.inactive'", nil); n != 1 {
		t.Errorf("%d notices to the owner, want 1 a day", n)
	}
	// an active colleague signs in
	if res := e.do(t, http.MethodPost, "/api/collections/staff/auth-with-password", `{"identity":"clerky@county.test","password":"correct-horse-battery"}`, roleAnon); res.Status != 200 {
		t.Errorf("an active clerk: %d %s", res.Status, res.Body)
	}
}
