enum _WarmSAML {}
import CZlib
