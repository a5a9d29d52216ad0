package main

import (
	"flag"
	"os"

	"github.com/cairnhq/cairn/internal/client"
)

// clientFlags are the flags of the commands that ask a Cairn server, as a profile's
// principal: which profile, and where its files are.
type clientFlags struct {
	profile  string
	dataDir  string
	endpoint string
}

// clientDetails is the part of --help about them.
const clientDetails = `It asks the Cairn server as the principal of the profile --profile (default:
$AWS_PROFILE, else "default"), read from the AWS shared files Cairn writes into its data
dir — or from the files AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE name, when they
are set and --data-dir is not given. The profile's endpoint_url says where Cairn is; a
profile without one is refused, so keys never go anywhere but to Cairn.`

func (f *clientFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.profile, "profile", "", "the `profile` whose principal asks (default $AWS_PROFILE, else default)")
	fs.StringVar(&f.dataDir, "data-dir", ".cairn", "the server's data `directory`, where its profile files are")
	fs.StringVar(&f.endpoint, "endpoint-url", "", "Cairn's `URL`, instead of the profile's endpoint_url")
}

// client returns a client for the profile the flags name.
func (f *clientFlags) client(fs *flag.FlagSet) (*client.Client, *client.Profile, error) {
	files := client.FilesFor(f.dataDir)
	dataDirGiven := false
	fs.Visit(func(fl *flag.Flag) { dataDirGiven = dataDirGiven || fl.Name == "data-dir" })
	if !dataDirGiven {
		files, _ = client.FilesFromEnv(f.dataDir)
	}
	name := f.profile
	if name == "" {
		name = os.Getenv("AWS_PROFILE")
	}
	if name == "" {
		name = "default"
	}
	p, err := client.LoadProfile(files, name, f.endpoint)
	if err != nil {
		return nil, nil, err
	}
	return client.New(p), p, nil
}
