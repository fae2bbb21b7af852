// Market surveillance reports for the regulator (docs/api.md, "Market surveillance").
#include "http/api.h"

namespace greenloop {

void Api::RegisterSurveillanceRoutes() {}

}  // namespace greenloop
