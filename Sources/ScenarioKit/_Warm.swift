enum _WarmScenarioKit {}
import AsyncHTTPClient
