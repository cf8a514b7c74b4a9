// The system libyaml (Debian: libyaml-dev), not a vendored copy.
#include <yaml.h>
