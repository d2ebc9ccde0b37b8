enum _WarmStrictYAML {}
import Yams
